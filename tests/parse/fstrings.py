name = "x"
s = f"hello {name}"
s = f'{name!r} {name!s} {name!a}'
s = f"{value:>10}"
s = f"{value:{width}.{precision}f}"
s = f"{value!r:^{width}}"
s = f"{x=}"
s = f"{ x = }"
s = f"{x=!s}"
s = f"{x=:>8}"
s = f"{x = !r:>8}"
s = f"a{x}b{y}c"
s = f"{{literal}} {x}"
s = f"{x:}"
s = f""
s = f"plain"
s = 'a' f'{b}' 'c'
s = f'{a}' f'{b}'
s = F"{x}" rf"{y}\n" fR"{z}"
s = f"{'nested'}"
s = f"{x['key']}"
s = f"{x:{{}}>5}" if False else f"{x:%H:%M}"
s = f"{a + b * c}"
s = f"{f(1, 2)}"
s = f"{x, y}"
s = f"{(lambda: 1)()}"
s = f"{x:=10}"
s = f"{(x := 10)}"
s = f"""multi
{line}
"""
s = f"{3.14:.2f} {1000000:,} {255:#x}"
s = f'{"中文"}'
