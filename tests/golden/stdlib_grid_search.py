# A grid search: itertools.product builds every parameter combination, a Pool
# scores them, and itertools/operator helpers pick and summarise the results.
import itertools
import operator
from multiprocessing import Pool

LEARNING_RATES = [0.1, 0.01, 0.001]
DEPTHS = [2, 4, 8]
SEEDS = range(2)


def score(rate, depth, seed):
    # a deterministic stand-in for training a model
    loss = abs(rate * 100 - depth) + seed * 0.5 + depth * 0.25
    return (rate, depth, seed, round(loss, 3))


def evaluate(params):
    return score(*params)


if __name__ == '__main__':
    grid = list(itertools.product(LEARNING_RATES, DEPTHS, SEEDS))
    print(len(grid), grid[:3], grid[-1])
    with Pool(3) as pool:
        results = pool.starmap(score, grid)
        again = pool.map(evaluate, grid, chunksize=4)
    print(results == again)
    best = min(results, key=operator.itemgetter(3))
    print('best:', best)
    top3 = sorted(results, key=operator.itemgetter(3, 0))[:3]
    for rank, row in enumerate(top3, 1):
        print(rank, row)
    by_depth = {}
    for depth, rows in itertools.groupby(sorted(results, key=operator.itemgetter(1)), key=operator.itemgetter(1)):
        losses = [r[3] for r in rows]
        by_depth[depth] = round(sum(losses) / len(losses), 3)
    print(by_depth)
    print(list(itertools.accumulate(r[3] for r in results[:5])))
    print(list(itertools.islice(itertools.combinations(DEPTHS, 2), 5)))
    print(list(itertools.permutations('abc', 2)))
    print(list(itertools.combinations_with_replacement([1, 2, 3], 2)))
    print(sum(1 for _ in itertools.product(range(3), repeat=4)))
    print(list(itertools.product('xy', [0, 1])))
    print(list(itertools.chain.from_iterable(itertools.repeat(d, 2) for d in DEPTHS)))
