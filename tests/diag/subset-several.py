import numpy
import pandas
from os import path
x = eval('1')
