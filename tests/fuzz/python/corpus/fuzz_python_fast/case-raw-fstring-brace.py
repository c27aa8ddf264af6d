a = rf'\{c}' + fr'\{{x}}'
import after
