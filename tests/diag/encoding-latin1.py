# -*- coding: latin-1 -*-
msg = 'café'
