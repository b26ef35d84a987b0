x = 3
match x:
    case 1:
        pass
