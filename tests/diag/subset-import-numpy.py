import numpy as np
from multiprocessing import Pool
