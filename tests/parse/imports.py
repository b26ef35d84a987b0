from __future__ import annotations
import os
import os.path, sys as system
import multiprocessing.pool as mpp
from multiprocessing import Process, Pool as P, Queue
from multiprocessing import (Pipe,
                             Value,)
from . import sibling
from .. import parent as up
from ..pkg.mod import name
from .mod import *
