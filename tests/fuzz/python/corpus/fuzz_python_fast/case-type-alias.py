type X = int
import a
