# sys.exit with a code ends the program with that status.
import sys
print('before')
sys.stdout.flush()
sys.exit(3)
print('never')
