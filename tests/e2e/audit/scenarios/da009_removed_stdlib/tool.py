import imp
from distutils.version import LooseVersion

print(LooseVersion("1.2") < LooseVersion("1.10"), imp)
