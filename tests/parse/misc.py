"""Module docstring."""
import sys
x = 1; y = 2; z = 3
long = 1 + \
    2
call(a,
     # comment inside brackets
     b)
value = (  # a comment
    1
)
print >>sys.stderr, "python 2 style"
print >>sys.stderr
pass
if __name__ == '__main__':
    main()
def f():
    '''Function docstring.'''
    ...
class C:
    "Class docstring."
numbers: list[int] = []
mapping: dict[str, int | None] = {}
def typed(a: tuple[int, ...], b: A | B | None) -> dict[str, list[int]]: pass
match = 1
type = 2
case = match + type
print(match, type)
