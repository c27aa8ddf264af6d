exec 'import os'
