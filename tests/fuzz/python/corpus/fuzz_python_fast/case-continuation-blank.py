x = 1 \

import a
