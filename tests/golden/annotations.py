# Annotations (typing included) are accepted and ignored: types come from inference.
from typing import List, Dict, Optional, Tuple
from multiprocessing import Pool


def total(xs: List[int], scale: Optional[float] = None) -> int:
    s: int = sum(xs)
    return s if scale is None else int(s * scale)


def pair(x: int) -> Tuple[int, int]:
    return x, x * x


if __name__ == '__main__':
    table: Dict[str, int] = {'a': 1}
    with Pool(2) as p:
        print(p.map(pair, range(4)), total([1, 2, 3]), total([1, 2], 2.5), table)
