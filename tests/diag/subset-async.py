import time

async def work():
    await time.sleep(1)
