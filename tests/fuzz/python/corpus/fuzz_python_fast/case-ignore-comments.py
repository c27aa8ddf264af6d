import a  # depaudit: ignore
import b  # depaudit: ignore[DA001, DA004]
from c import (d,  # depaudit: ignore[DA003]
  e)
x = '# depaudit: ignore'; import f
__import__('g')  # depaudit: ignore
