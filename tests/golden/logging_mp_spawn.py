# Under spawn the child sets the 'multiprocessing' logger up as the parent
# had it (log_to_stderr and the level), before the main module runs again,
# so its own and multiprocessing's messages show.
# golden: stderr-tail 12
# golden: timeout 60
import logging
import multiprocessing


def child(n):
    multiprocessing.get_logger().info('child %d at level %d', n, multiprocessing.get_logger().getEffectiveLevel())


if __name__ == '__main__':
    multiprocessing.set_start_method('spawn')
    multiprocessing.log_to_stderr(logging.INFO)
    p = multiprocessing.Process(target=child, args=(1,))
    p.start()
    p.join()
    print('exitcode', p.exitcode)
