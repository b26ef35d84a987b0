x = 1
msg = 'café'
