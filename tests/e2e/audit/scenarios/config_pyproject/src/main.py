import legacy.reports
import markdown_it
import numpy
from rich import print

print(numpy.ones(2), legacy.reports, markdown_it)
