/* modules.c: the modules a script may import, and what each member maps to
 * in the runtime.
 *
 * One row per member: the Python name, what kind of thing it is, the C
 * symbol that implements it (see runtime/mp2c*.h), and, for inference, what
 * calling it (or reading it) gives. Result specs are a tiny language read by
 * infer.c: "int", "float", "str", "bytes", "bool", "none", "any",
 * "N:rt_mp_Queue" (an instance of that runtime type), "T(spec,spec)" (a
 * tuple), "L(spec)" (a list). An empty result means "any"; a MK_TYPE row
 * without a result gives an instance of the type itself.
 */
#include "sema.h"

#include <string.h>

#define FN(mod, name, sym, res)    {mod, name, MK_FUNC, sym, res},
#define TYPE(mod, name, sym)       {mod, name, MK_TYPE, sym, NULL},
#define TYPE_R(mod, name, sym, res) {mod, name, MK_TYPE, sym, res},
#define EXC(mod, name, sym)        {mod, name, MK_EXC, sym, NULL},
#define CONST(mod, name, expr, res) {mod, name, MK_CONST, expr, res},
#define SUB(mod, name, full)       {mod, name, MK_MODULE, full, NULL},

/* The multiprocessing API, as reached through any of its module paths. */
#define MP_API(mod) \
    TYPE(mod, "Process", "rt_mp_Process") \
    FN(mod, "current_process", "rt_mp_current_process", "N:rt_mp_Process") \
    FN(mod, "parent_process", "rt_mp_parent_process", "any") \
    FN(mod, "active_children", "rt_mp_active_children", "L(N:rt_mp_Process)") \
    FN(mod, "cpu_count", "rt_mp_cpu_count", "int") \
    FN(mod, "Pipe", "rt_mp_Pipe", "T(N:rt_mp_Connection,N:rt_mp_Connection)") \
    TYPE(mod, "Queue", "rt_mp_Queue") \
    TYPE(mod, "JoinableQueue", "rt_mp_JoinableQueue") \
    TYPE(mod, "SimpleQueue", "rt_mp_SimpleQueue") \
    TYPE(mod, "Pool", "rt_mp_Pool") \
    FN(mod, "Value", "rt_mp_Value", "any") \
    FN(mod, "Array", "rt_mp_Array", "any") \
    FN(mod, "RawValue", "rt_mp_RawValue", "any") \
    FN(mod, "RawArray", "rt_mp_RawArray", "any") \
    TYPE(mod, "Lock", "rt_mp_Lock") \
    TYPE(mod, "RLock", "rt_mp_RLock") \
    TYPE(mod, "Semaphore", "rt_mp_Semaphore") \
    TYPE(mod, "BoundedSemaphore", "rt_mp_BoundedSemaphore") \
    TYPE(mod, "Event", "rt_mp_Event") \
    TYPE(mod, "Condition", "rt_mp_Condition") \
    TYPE(mod, "Barrier", "rt_mp_Barrier") \
    FN(mod, "Manager", "rt_mp_Manager", "N:rt_mp_SyncManager") \
    FN(mod, "log_to_stderr", "rt_mp_log_to_stderr", "N:rt_logging_Logger") \
    FN(mod, "get_logger", "rt_mp_get_logger", "N:rt_logging_Logger") \
    CONST(mod, "SUBDEBUG", "rt_int(5)", "int") \
    CONST(mod, "SUBWARNING", "rt_int(25)", "int") \
    FN(mod, "set_start_method", "rt_mp_set_start_method", "none") \
    FN(mod, "get_start_method", "rt_mp_get_start_method", "any") \
    FN(mod, "get_all_start_methods", "rt_mp_get_all_start_methods", "L(str)") \
    FN(mod, "get_context", "rt_mp_get_context", "any") \
    FN(mod, "freeze_support", "rt_mp_freeze_support", "none") \
    EXC(mod, "TimeoutError", "rt_exc_MpTimeoutError") \
    EXC(mod, "ProcessError", "rt_exc_ProcessError") \
    EXC(mod, "BufferTooShort", "rt_exc_BufferTooShort") \
    EXC(mod, "AuthenticationError", "rt_exc_AuthenticationError")

static const ModMember members[] = {
    MP_API("multiprocessing")
    MP_API("multiprocessing.context")
    SUB("multiprocessing", "sharedctypes", "multiprocessing.sharedctypes")
    SUB("multiprocessing", "connection", "multiprocessing.connection")
    SUB("multiprocessing", "pool", "multiprocessing.pool")
    SUB("multiprocessing", "queues", "multiprocessing.queues")
    SUB("multiprocessing", "shared_memory", "multiprocessing.shared_memory")
    SUB("multiprocessing", "managers", "multiprocessing.managers")
    SUB("multiprocessing", "synchronize", "multiprocessing.synchronize")
    SUB("multiprocessing", "context", "multiprocessing.context")
    SUB("multiprocessing", "process", "multiprocessing.process")
    SUB("multiprocessing", "util", "multiprocessing.util")

    FN("multiprocessing.sharedctypes", "Value", "rt_mp_Value", "any")
    FN("multiprocessing.sharedctypes", "Array", "rt_mp_Array", "any")
    FN("multiprocessing.sharedctypes", "RawValue", "rt_mp_RawValue", "any")
    FN("multiprocessing.sharedctypes", "RawArray", "rt_mp_RawArray", "any")

    FN("multiprocessing.connection", "wait", "rt_mp_connection_wait", "L(any)")
    TYPE("multiprocessing.connection", "Connection", "rt_mp_Connection")

    TYPE("multiprocessing.pool", "Pool", "rt_mp_Pool")
    TYPE("multiprocessing.pool", "AsyncResult", "rt_mp_AsyncResult")

    TYPE("multiprocessing.managers", "BaseManager", "rt_mp_BaseManager")
    TYPE("multiprocessing.managers", "SyncManager", "rt_mp_SyncManager")
    TYPE("multiprocessing.managers", "Namespace", "rt_mp_Namespace")
    EXC("multiprocessing.managers", "RemoteError", "rt_exc_RemoteError")

    TYPE("multiprocessing.queues", "Queue", "rt_mp_Queue")
    TYPE("multiprocessing.queues", "JoinableQueue", "rt_mp_JoinableQueue")
    TYPE("multiprocessing.queues", "SimpleQueue", "rt_mp_SimpleQueue")

    TYPE("multiprocessing.shared_memory", "SharedMemory", "rt_shm_SharedMemory")
    TYPE("multiprocessing.shared_memory", "ShareableList", "rt_shm_ShareableList")

    TYPE("multiprocessing.synchronize", "Lock", "rt_mp_Lock")
    TYPE("multiprocessing.synchronize", "RLock", "rt_mp_RLock")
    TYPE("multiprocessing.synchronize", "Semaphore", "rt_mp_Semaphore")
    TYPE("multiprocessing.synchronize", "BoundedSemaphore", "rt_mp_BoundedSemaphore")
    TYPE("multiprocessing.synchronize", "Event", "rt_mp_Event")
    TYPE("multiprocessing.synchronize", "Condition", "rt_mp_Condition")
    TYPE("multiprocessing.synchronize", "Barrier", "rt_mp_Barrier")

    TYPE("multiprocessing.process", "Process", "rt_mp_Process")
    FN("multiprocessing.process", "current_process", "rt_mp_current_process", "N:rt_mp_Process")
    FN("multiprocessing.process", "parent_process", "rt_mp_parent_process", "any")
    FN("multiprocessing.process", "active_children", "rt_mp_active_children", "L(N:rt_mp_Process)")

    TYPE("ctypes", "c_bool", "rt_ctypes_c_bool")
    TYPE("ctypes", "c_char", "rt_ctypes_c_char")
    TYPE("ctypes", "c_wchar", "rt_ctypes_c_wchar")
    TYPE("ctypes", "c_byte", "rt_ctypes_c_byte")
    TYPE("ctypes", "c_ubyte", "rt_ctypes_c_ubyte")
    TYPE("ctypes", "c_short", "rt_ctypes_c_short")
    TYPE("ctypes", "c_ushort", "rt_ctypes_c_ushort")
    TYPE("ctypes", "c_int", "rt_ctypes_c_int")
    TYPE("ctypes", "c_uint", "rt_ctypes_c_uint")
    TYPE("ctypes", "c_long", "rt_ctypes_c_long")
    TYPE("ctypes", "c_ulong", "rt_ctypes_c_ulong")
    TYPE("ctypes", "c_longlong", "rt_ctypes_c_longlong")
    TYPE("ctypes", "c_ulonglong", "rt_ctypes_c_ulonglong")
    TYPE("ctypes", "c_size_t", "rt_ctypes_c_size_t")
    TYPE("ctypes", "c_ssize_t", "rt_ctypes_c_ssize_t")
    TYPE("ctypes", "c_float", "rt_ctypes_c_float")
    TYPE("ctypes", "c_double", "rt_ctypes_c_double")
    TYPE("ctypes", "c_int8", "rt_ctypes_c_int8")
    TYPE("ctypes", "c_uint8", "rt_ctypes_c_uint8")
    TYPE("ctypes", "c_int16", "rt_ctypes_c_int16")
    TYPE("ctypes", "c_uint16", "rt_ctypes_c_uint16")
    TYPE("ctypes", "c_int32", "rt_ctypes_c_int32")
    TYPE("ctypes", "c_uint32", "rt_ctypes_c_uint32")
    TYPE("ctypes", "c_int64", "rt_ctypes_c_int64")
    TYPE("ctypes", "c_uint64", "rt_ctypes_c_uint64")
    TYPE("ctypes", "Structure", "rt_ctypes_Structure")
    FN("ctypes", "sizeof", "rt_ctypes_sizeof", "int")

    FN("os", "getpid", "rt_os_getpid", "int")
    FN("os", "getppid", "rt_os_getppid", "int")
    FN("os", "cpu_count", "rt_os_cpu_count", "any")
    FN("os", "getenv", "rt_os_getenv", "any")
    FN("os", "kill", "rt_os_kill", "none")
    FN("os", "_exit", "rt_os__exit", "none")
    CONST("os", "environ", "rt_os_getattr(\"environ\")", "any")
    CONST("os", "sep", "rt_str_const(\"/\", 1)", "str")
    CONST("os", "linesep", "rt_str_const(\"\\n\", 1)", "str")
    CONST("os", "name", "rt_str_const(\"posix\", 5)", "str")
    FN("os", "getcwd", "rt_os_getcwd", "str")
    FN("os", "listdir", "rt_os_listdir", "L(str)")
    FN("os", "remove", "rt_os_remove", "none")
    FN("os", "unlink", "rt_os_remove", "none")
    FN("os", "rmdir", "rt_os_rmdir", "none")
    FN("os", "mkdir", "rt_os_mkdir", "none")
    FN("os", "makedirs", "rt_os_makedirs", "none")
    SUB("os", "path", "os.path")
    FN("os.path", "join", "rt_ospath_join", "str")
    FN("os.path", "basename", "rt_ospath_basename", "str")
    FN("os.path", "dirname", "rt_ospath_dirname", "str")
    FN("os.path", "split", "rt_ospath_split", "T(str,str)")
    FN("os.path", "splitext", "rt_ospath_splitext", "T(str,str)")
    FN("os.path", "isabs", "rt_ospath_isabs", "bool")
    FN("os.path", "abspath", "rt_ospath_abspath", "str")
    FN("os.path", "exists", "rt_ospath_exists", "bool")
    FN("os.path", "isfile", "rt_ospath_isfile", "bool")
    FN("os.path", "isdir", "rt_ospath_isdir", "bool")
    FN("os.path", "getsize", "rt_ospath_getsize", "int")
    CONST("os.path", "sep", "rt_str_const(\"/\", 1)", "str")

    CONST("sys", "argv", "rt_sys_argv()", "L(str)")
    FN("sys", "exit", "rt_sys_exit_fn", "none")
    FN("sys", "getrecursionlimit", "rt_sys_getrecursionlimit_fn", "int")
    FN("sys", "setrecursionlimit", "rt_sys_setrecursionlimit_fn", "none")
    CONST("sys", "stdout", "rt_newref(rt_sys_stdout)", "any")
    CONST("sys", "stderr", "rt_newref(rt_sys_stderr)", "any")
    CONST("sys", "maxsize", "rt_int(INT64_MAX)", "bigint")
    CONST("sys", "platform", "rt_str_const(\"linux\", 5)", "str")

    /* signal: the numbers are plain ints here; CPython's are Signals members,
     * which print the same (IntEnum's str() is the number's since 3.11) */
    FN("signal", "signal", "rt_signal_signal", "any")
    FN("signal", "getsignal", "rt_signal_getsignal", "any")
    FN("signal", "alarm", "rt_signal_alarm", "int")
    FN("signal", "pause", "rt_signal_pause", "none")
    FN("signal", "strsignal", "rt_signal_strsignal", "any")
    FN("signal", "valid_signals", "rt_signal_valid_signals", "any")
    CONST("signal", "NSIG", "rt_int(rt_signal_nsig)", "int")
    TYPE("signal", "Signals", "rt_signal_Signals")
    CONST("signal", "SIG_DFL", "rt_int(0)", "int")
    CONST("signal", "SIG_IGN", "rt_int(1)", "int")
    CONST("signal", "SIGHUP", "rt_int(SIGHUP)", "int")
    CONST("signal", "SIGINT", "rt_int(SIGINT)", "int")
    CONST("signal", "SIGQUIT", "rt_int(SIGQUIT)", "int")
    CONST("signal", "SIGILL", "rt_int(SIGILL)", "int")
    CONST("signal", "SIGTRAP", "rt_int(SIGTRAP)", "int")
    CONST("signal", "SIGABRT", "rt_int(SIGABRT)", "int")
    CONST("signal", "SIGBUS", "rt_int(SIGBUS)", "int")
    CONST("signal", "SIGFPE", "rt_int(SIGFPE)", "int")
    CONST("signal", "SIGKILL", "rt_int(SIGKILL)", "int")
    CONST("signal", "SIGUSR1", "rt_int(SIGUSR1)", "int")
    CONST("signal", "SIGSEGV", "rt_int(SIGSEGV)", "int")
    CONST("signal", "SIGUSR2", "rt_int(SIGUSR2)", "int")
    CONST("signal", "SIGPIPE", "rt_int(SIGPIPE)", "int")
    CONST("signal", "SIGALRM", "rt_int(SIGALRM)", "int")
    CONST("signal", "SIGTERM", "rt_int(SIGTERM)", "int")
    CONST("signal", "SIGCHLD", "rt_int(SIGCHLD)", "int")
    CONST("signal", "SIGCONT", "rt_int(SIGCONT)", "int")
    CONST("signal", "SIGSTOP", "rt_int(SIGSTOP)", "int")
    CONST("signal", "SIGTSTP", "rt_int(SIGTSTP)", "int")
    CONST("signal", "SIGTTIN", "rt_int(SIGTTIN)", "int")
    CONST("signal", "SIGTTOU", "rt_int(SIGTTOU)", "int")
    CONST("signal", "SIGXCPU", "rt_int(SIGXCPU)", "int")
    CONST("signal", "SIGXFSZ", "rt_int(SIGXFSZ)", "int")
    CONST("signal", "SIGVTALRM", "rt_int(SIGVTALRM)", "int")
    CONST("signal", "SIGPROF", "rt_int(SIGPROF)", "int")
    CONST("signal", "SIGWINCH", "rt_int(SIGWINCH)", "int")
    CONST("signal", "SIGIO", "rt_int(SIGIO)", "int")
    CONST("signal", "SIGPWR", "rt_int(SIGPWR)", "int")
    CONST("signal", "SIGSYS", "rt_int(SIGSYS)", "int")
    CONST("signal", "SIGURG", "rt_int(SIGURG)", "int")

    FN("time", "sleep", "rt_time_sleep", "none")
    FN("time", "time", "rt_time_time", "float")
    FN("time", "monotonic", "rt_time_monotonic", "float")
    FN("time", "perf_counter", "rt_time_perf_counter", "float")
    FN("time", "process_time", "rt_time_process_time", "float")
    FN("time", "time_ns", "rt_time_time_ns", "int")

    EXC("queue", "Empty", "rt_exc_Empty")
    EXC("queue", "Full", "rt_exc_Full")
    TYPE("queue", "Queue", "rt_queue_Queue")
    TYPE("queue", "LifoQueue", "rt_queue_LifoQueue")
    TYPE("queue", "PriorityQueue", "rt_queue_PriorityQueue")
    TYPE("queue", "SimpleQueue", "rt_queue_SimpleQueue")

    FN("heapq", "heappush", "rt_heapq_heappush", "none")
    FN("heapq", "heappop", "rt_heapq_heappop", "any")
    FN("heapq", "heapify", "rt_heapq_heapify", "none")
    FN("heapq", "heapreplace", "rt_heapq_heapreplace", "any")
    FN("heapq", "heappushpop", "rt_heapq_heappushpop", "any")
    FN("heapq", "nlargest", "rt_heapq_nlargest", "any")
    FN("heapq", "nsmallest", "rt_heapq_nsmallest", "any")
    FN("heapq", "merge", "rt_heapq_merge", "any")

    FN("traceback", "print_exc", "rt_traceback_print_exc", "none")
    FN("traceback", "format_exc", "rt_traceback_format_exc", "str")
    FN("traceback", "print_exception", "rt_traceback_print_exception", "none")
    FN("traceback", "format_exception", "rt_traceback_format_exception", "L(str)")
    FN("traceback", "format_exception_only", "rt_traceback_format_exception_only", "L(str)")

    FN("random", "seed", "rt_random_seed", "none")
    FN("random", "random", "rt_random_random", "float")
    FN("random", "randint", "rt_random_randint", "int")
    FN("random", "randrange", "rt_random_randrange", "int")
    FN("random", "uniform", "rt_random_uniform", "float")
    FN("random", "choice", "rt_random_choice", "any")
    FN("random", "shuffle", "rt_random_shuffle", "none")
    FN("random", "sample", "rt_random_sample", "any")
    FN("random", "gauss", "rt_random_gauss", "float")
    FN("random", "choices", "rt_random_choices", "any")
    FN("random", "getrandbits", "rt_random_getrandbits", "any")

    FN("math", "sqrt", "rt_math_sqrt", "float")
    FN("math", "floor", "rt_math_floor", "int")
    FN("math", "ceil", "rt_math_ceil", "int")
    FN("math", "trunc", "rt_math_trunc", "int")
    FN("math", "isqrt", "rt_math_isqrt", "int")
    FN("math", "gcd", "rt_math_gcd", "int")
    FN("math", "factorial", "rt_math_factorial", "any")
    FN("math", "comb", "rt_math_comb", "any")
    FN("math", "perm", "rt_math_perm", "any")
    FN("math", "prod", "rt_math_prod", "any")
    FN("math", "fsum", "rt_math_fsum", "float")
    FN("math", "isclose", "rt_math_isclose", "bool")
    FN("math", "isnan", "rt_math_isnan", "bool")
    FN("math", "isinf", "rt_math_isinf", "bool")
    FN("math", "fabs", "rt_math_fabs", "float")
    FN("math", "pow", "rt_math_pow", "float")
    FN("math", "exp", "rt_math_exp", "float")
    FN("math", "log", "rt_math_log", "float")
    FN("math", "log2", "rt_math_log2", "float")
    FN("math", "log10", "rt_math_log10", "float")
    FN("math", "sin", "rt_math_sin", "float")
    FN("math", "cos", "rt_math_cos", "float")
    FN("math", "tan", "rt_math_tan", "float")
    FN("math", "atan2", "rt_math_atan2", "float")
    FN("math", "hypot", "rt_math_hypot", "float")
    FN("math", "copysign", "rt_math_copysign", "float")
    FN("math", "isfinite", "rt_math_isfinite", "bool")
    FN("math", "asin", "rt_math_asin", "float")
    FN("math", "acos", "rt_math_acos", "float")
    FN("math", "atan", "rt_math_atan", "float")
    FN("math", "degrees", "rt_math_degrees", "float")
    FN("math", "radians", "rt_math_radians", "float")
    FN("math", "lcm", "rt_math_lcm", "bigint")
    CONST("math", "pi", "rt_newref(rt_math_pi)", "float")
    CONST("math", "e", "rt_newref(rt_math_e)", "float")
    CONST("math", "tau", "rt_newref(rt_math_tau)", "float")
    CONST("math", "inf", "rt_newref(rt_math_inf)", "float")
    CONST("math", "nan", "rt_newref(rt_math_nan)", "float")

    TYPE("collections", "Counter", "rt_collections_Counter")
    TYPE("collections", "defaultdict", "rt_collections_defaultdict")
    TYPE("collections", "deque", "rt_collections_deque")
    TYPE("collections", "OrderedDict", "rt_collections_OrderedDict")
    FN("collections", "namedtuple", "rt_collections_namedtuple", "any")

    FN("struct", "pack", "rt_struct_pack", "bytes")
    FN("struct", "unpack", "rt_struct_unpack", "any")
    FN("struct", "calcsize", "rt_struct_calcsize", "int")
    FN("struct", "pack_into", "rt_struct_pack_into", "none")
    FN("struct", "unpack_from", "rt_struct_unpack_from", "any")
    EXC("struct", "error", "rt_exc_StructError")

    EXC("threading", "BrokenBarrierError", "rt_exc_BrokenBarrierError")

    /* concurrent.futures and logging (runtime/mp2c_futures.h) */
    SUB("concurrent", "futures", "concurrent.futures")
    TYPE("concurrent.futures", "ProcessPoolExecutor", "rt_futures_ProcessPoolExecutor")
    TYPE("concurrent.futures", "ThreadPoolExecutor", "rt_futures_ThreadPoolExecutor")
    TYPE("concurrent.futures", "Executor", "rt_futures_Executor")
    TYPE("concurrent.futures", "Future", "rt_futures_Future")
    FN("concurrent.futures", "as_completed", "rt_futures_as_completed", "any")
    FN("concurrent.futures", "wait", "rt_futures_wait", "any")
    CONST("concurrent.futures", "FIRST_COMPLETED", "rt_str_const(\"FIRST_COMPLETED\", 15)", "str")
    CONST("concurrent.futures", "FIRST_EXCEPTION", "rt_str_const(\"FIRST_EXCEPTION\", 15)", "str")
    CONST("concurrent.futures", "ALL_COMPLETED", "rt_str_const(\"ALL_COMPLETED\", 13)", "str")
    EXC("concurrent.futures", "CancelledError", "rt_futures_CancelledError")
    EXC("concurrent.futures", "TimeoutError", "rt_exc_TimeoutError")
    EXC("concurrent.futures", "InvalidStateError", "rt_futures_InvalidStateError")
    EXC("concurrent.futures", "BrokenExecutor", "rt_futures_BrokenExecutor")
    SUB("concurrent.futures", "process", "concurrent.futures.process")
    SUB("concurrent.futures", "thread", "concurrent.futures.thread")
    TYPE("concurrent.futures.process", "ProcessPoolExecutor", "rt_futures_ProcessPoolExecutor")
    EXC("concurrent.futures.process", "BrokenProcessPool", "rt_futures_BrokenProcessPool")
    TYPE("concurrent.futures.thread", "ThreadPoolExecutor", "rt_futures_ThreadPoolExecutor")
    EXC("concurrent.futures.thread", "BrokenThreadPool", "rt_futures_BrokenThreadPool")

    FN("logging", "getLogger", "rt_logging_getLogger", "N:rt_logging_Logger")
    FN("logging", "basicConfig", "rt_logging_basicConfig", "none")
    FN("logging", "debug", "rt_logging_debug", "none")
    FN("logging", "info", "rt_logging_info", "none")
    FN("logging", "warning", "rt_logging_warning", "none")
    FN("logging", "warn", "rt_logging_warning", "none")
    FN("logging", "error", "rt_logging_error", "none")
    FN("logging", "exception", "rt_logging_exception", "none")
    FN("logging", "critical", "rt_logging_critical", "none")
    FN("logging", "fatal", "rt_logging_critical", "none")
    FN("logging", "log", "rt_logging_log", "none")
    FN("logging", "disable", "rt_logging_disable", "none")
    FN("logging", "shutdown", "rt_logging_shutdown", "none")
    FN("logging", "getLevelName", "rt_logging_getLevelName", "any")
    FN("logging", "addLevelName", "rt_logging_addLevelName", "none")
    FN("logging", "getLoggerClass", "rt_logging_getLoggerClass", "any")
    TYPE("logging", "Logger", "rt_logging_Logger")
    TYPE("logging", "RootLogger", "rt_logging_RootLogger")
    TYPE("logging", "Handler", "rt_logging_Handler")
    TYPE("logging", "StreamHandler", "rt_logging_StreamHandler")
    TYPE("logging", "FileHandler", "rt_logging_FileHandler")
    TYPE("logging", "NullHandler", "rt_logging_NullHandler")
    TYPE("logging", "Formatter", "rt_logging_Formatter")
    TYPE("logging", "Filter", "rt_logging_Filter")
    TYPE("logging", "LogRecord", "rt_logging_LogRecord")
    CONST("logging", "CRITICAL", "rt_int(50)", "int")
    CONST("logging", "FATAL", "rt_int(50)", "int")
    CONST("logging", "ERROR", "rt_int(40)", "int")
    CONST("logging", "WARNING", "rt_int(30)", "int")
    CONST("logging", "WARN", "rt_int(30)", "int")
    CONST("logging", "INFO", "rt_int(20)", "int")
    CONST("logging", "DEBUG", "rt_int(10)", "int")
    CONST("logging", "NOTSET", "rt_int(0)", "int")
    CONST("logging", "BASIC_FORMAT", "rt_str_const(\"%(levelname)s:%(name)s:%(message)s\", 33)", "str")
    CONST("logging", "root", "rt_logging_root()", "N:rt_logging_RootLogger")
    CONST("logging", "raiseExceptions", "rt_newref(rt_True)", "bool")
    FN("multiprocessing.util", "log_to_stderr", "rt_mp_log_to_stderr", "N:rt_logging_Logger")
    FN("multiprocessing.util", "get_logger", "rt_mp_get_logger", "N:rt_logging_Logger")
    CONST("multiprocessing.util", "SUBDEBUG", "rt_int(5)", "int")
    CONST("multiprocessing.util", "SUBWARNING", "rt_int(25)", "int")

    /* functools, itertools, operator, string (runtime/mp2c_stdlib.h) */
    TYPE("functools", "partial", "rt_functools_partial")
    FN("functools", "reduce", "rt_functools_reduce", "any")
    FN("functools", "lru_cache", "rt_functools_lru_cache", "any")
    FN("functools", "cache", "rt_functools_cache", "any")
    FN("functools", "wraps", "rt_functools_wraps", "N:rt_functools_partial")
    FN("functools", "update_wrapper", "rt_functools_update_wrapper", "any")
    FN("functools", "total_ordering", "rt_functools_total_ordering", "any")
    FN("functools", "cmp_to_key", "rt_functools_cmp_to_key", "N:rt_functools_KeyWrapper")
    TYPE("itertools", "count", "rt_itertools_count")
    TYPE("itertools", "cycle", "rt_itertools_cycle")
    TYPE("itertools", "repeat", "rt_itertools_repeat")
    TYPE("itertools", "accumulate", "rt_itertools_accumulate")
    TYPE("itertools", "chain", "rt_itertools_chain")
    TYPE("itertools", "compress", "rt_itertools_compress")
    TYPE("itertools", "dropwhile", "rt_itertools_dropwhile")
    TYPE("itertools", "takewhile", "rt_itertools_takewhile")
    TYPE("itertools", "filterfalse", "rt_itertools_filterfalse")
    TYPE("itertools", "groupby", "rt_itertools_groupby")
    TYPE("itertools", "islice", "rt_itertools_islice")
    TYPE("itertools", "starmap", "rt_itertools_starmap")
    FN("itertools", "tee", "rt_itertools_tee", "any")
    TYPE("itertools", "zip_longest", "rt_itertools_zip_longest")
    TYPE("itertools", "product", "rt_itertools_product")
    TYPE("itertools", "permutations", "rt_itertools_permutations")
    TYPE("itertools", "combinations", "rt_itertools_combinations")
    TYPE("itertools", "combinations_with_replacement", "rt_itertools_combinations_with_replacement")
    TYPE("itertools", "pairwise", "rt_itertools_pairwise")
    TYPE("operator", "itemgetter", "rt_operator_itemgetter")
    TYPE("operator", "attrgetter", "rt_operator_attrgetter")
    TYPE("operator", "methodcaller", "rt_operator_methodcaller")
    FN("string", "capwords", "rt_string_capwords", "str")
    CONST("string", "ascii_letters", "rt_string_ascii_letters()", "str")
    CONST("string", "ascii_lowercase", "rt_string_ascii_lowercase()", "str")
    CONST("string", "ascii_uppercase", "rt_string_ascii_uppercase()", "str")
    CONST("string", "digits", "rt_string_digits()", "str")
    CONST("string", "hexdigits", "rt_string_hexdigits()", "str")
    CONST("string", "octdigits", "rt_string_octdigits()", "str")
    CONST("string", "punctuation", "rt_string_punctuation()", "str")
    CONST("string", "whitespace", "rt_string_whitespace()", "str")
    CONST("string", "printable", "rt_string_printable()", "str")
    FN("operator", "add", "rt_operator_add", "any")
    FN("operator", "sub", "rt_operator_sub", "any")
    FN("operator", "mul", "rt_operator_mul", "any")
    FN("operator", "truediv", "rt_operator_truediv", "any")
    FN("operator", "floordiv", "rt_operator_floordiv", "any")
    FN("operator", "mod", "rt_operator_mod", "any")
    FN("operator", "pow", "rt_operator_pow", "any")
    FN("operator", "matmul", "rt_operator_matmul", "any")
    FN("operator", "lshift", "rt_operator_lshift", "any")
    FN("operator", "rshift", "rt_operator_rshift", "any")
    FN("operator", "and_", "rt_operator_and_", "any")
    FN("operator", "or_", "rt_operator_or_", "any")
    FN("operator", "xor", "rt_operator_xor", "any")
    FN("operator", "concat", "rt_operator_concat", "any")
    FN("operator", "iadd", "rt_operator_iadd", "any")
    FN("operator", "isub", "rt_operator_isub", "any")
    FN("operator", "imul", "rt_operator_imul", "any")
    FN("operator", "itruediv", "rt_operator_itruediv", "any")
    FN("operator", "ifloordiv", "rt_operator_ifloordiv", "any")
    FN("operator", "imod", "rt_operator_imod", "any")
    FN("operator", "ipow", "rt_operator_ipow", "any")
    FN("operator", "imatmul", "rt_operator_imatmul", "any")
    FN("operator", "ilshift", "rt_operator_ilshift", "any")
    FN("operator", "irshift", "rt_operator_irshift", "any")
    FN("operator", "iand", "rt_operator_iand", "any")
    FN("operator", "ior", "rt_operator_ior", "any")
    FN("operator", "ixor", "rt_operator_ixor", "any")
    FN("operator", "iconcat", "rt_operator_iconcat", "any")
    FN("operator", "neg", "rt_operator_neg", "any")
    FN("operator", "pos", "rt_operator_pos", "any")
    FN("operator", "abs", "rt_operator_abs", "any")
    FN("operator", "inv", "rt_operator_inv", "any")
    FN("operator", "invert", "rt_operator_invert", "any")
    FN("operator", "not_", "rt_operator_not_", "bool")
    FN("operator", "truth", "rt_operator_truth", "bool")
    FN("operator", "index", "rt_operator_index", "int")
    FN("operator", "eq", "rt_operator_eq", "any")
    FN("operator", "ne", "rt_operator_ne", "any")
    FN("operator", "lt", "rt_operator_lt", "any")
    FN("operator", "le", "rt_operator_le", "any")
    FN("operator", "gt", "rt_operator_gt", "any")
    FN("operator", "ge", "rt_operator_ge", "any")
    FN("operator", "is_", "rt_operator_is_", "bool")
    FN("operator", "is_not", "rt_operator_is_not", "bool")
    FN("operator", "contains", "rt_operator_contains", "bool")
    FN("operator", "countOf", "rt_operator_countOf", "int")
    FN("operator", "indexOf", "rt_operator_indexOf", "int")
    FN("operator", "getitem", "rt_operator_getitem", "any")
    FN("operator", "setitem", "rt_operator_setitem", "none")
    FN("operator", "delitem", "rt_operator_delitem", "none")
    FN("operator", "length_hint", "rt_operator_length_hint", "int")

    FN("dataclasses", "dataclass", "rt_dataclasses_dataclass", "any")
    FN("dataclasses", "field", "rt_dataclasses_field", "any")
    FN("dataclasses", "asdict", "rt_dataclasses_asdict", "any")
    FN("dataclasses", "astuple", "rt_dataclasses_astuple", "any")
    FN("dataclasses", "fields", "rt_dataclasses_fields", "any")
    FN("dataclasses", "replace", "rt_dataclasses_replace", "any")
    FN("dataclasses", "is_dataclass", "rt_dataclasses_is_dataclass", "bool")
    CONST("dataclasses", "FrozenInstanceError", "rt_dataclasses_FrozenInstanceError()", "any")
    TYPE("dataclasses", "Field", "rt_dataclasses_Field")

    /* typing: for annotations, which mp2c reads as hints and never evaluates;
     * the container aliases are the builtin types, the rest are None at run time */
    TYPE_R("typing", "List", "rt_type_list", "any")
    TYPE_R("typing", "Dict", "rt_type_dict", "any")
    TYPE_R("typing", "Tuple", "rt_type_tuple", "any")
    TYPE_R("typing", "Set", "rt_type_set", "any")
    TYPE_R("typing", "FrozenSet", "rt_type_frozenset", "any")
    CONST("typing", "Any", "rt_None", "any")
    CONST("typing", "Optional", "rt_None", "any")
    CONST("typing", "Union", "rt_None", "any")
    CONST("typing", "Callable", "rt_None", "any")
    CONST("typing", "Iterable", "rt_None", "any")
    CONST("typing", "Iterator", "rt_None", "any")
    CONST("typing", "Sequence", "rt_None", "any")
    CONST("typing", "Mapping", "rt_None", "any")
    CONST("typing", "Generator", "rt_None", "any")
    CONST("typing", "ClassVar", "rt_None", "any")
    CONST("typing", "Final", "rt_None", "any")
    CONST("typing", "Literal", "rt_None", "any")
    CONST("typing", "NoReturn", "rt_None", "any")
    CONST("typing", "Type", "rt_None", "any")
    CONST("typing", "Hashable", "rt_None", "any")
    CONST("typing", "Sized", "rt_None", "any")
    CONST("typing", "Collection", "rt_None", "any")
    CONST("typing", "Container", "rt_None", "any")
    CONST("typing", "Reversible", "rt_None", "any")
    CONST("typing", "AbstractSet", "rt_None", "any")
    CONST("typing", "MutableMapping", "rt_None", "any")
    CONST("typing", "MutableSequence", "rt_None", "any")
    CONST("typing", "MutableSet", "rt_None", "any")
    CONST("typing", "SupportsInt", "rt_None", "any")
    CONST("typing", "SupportsFloat", "rt_None", "any")
    CONST("typing", "TYPE_CHECKING", "rt_False", "bool")
    TYPE_R("typing", "DefaultDict", "rt_collections_defaultdict", "any")
    TYPE_R("typing", "Deque", "rt_collections_deque", "any")
    TYPE_R("typing", "Counter", "rt_collections_Counter", "any")
    TYPE_R("typing", "OrderedDict", "rt_collections_OrderedDict", "any")
    FN("typing", "cast", "rt_typing_cast", "any")
    FN("typing", "TypeVar", "rt_typing_TypeVar", "any")
    FN("typing", "NewType", "rt_typing_NewType", "any")
    FN("typing", "overload", "rt_typing_identity", "any")
    FN("typing", "final", "rt_typing_identity", "any")
    FN("typing", "no_type_check", "rt_typing_identity", "any")
    FN("typing", "runtime_checkable", "rt_typing_identity", "any")
};

enum { NMEMBERS = sizeof members / sizeof members[0] };

/* Methods of runtime types that generated code may call directly, skipping
 * the method lookup: {type, method, C function, result spec}. */
static const NativeMethod native_methods[] = {
#define QUEUE_METHODS(T) \
    {T, "put", "rt_mp_Queue_m_put", "none"}, {T, "get", "rt_mp_Queue_m_get", "any"}, \
    {T, "put_nowait", "rt_mp_Queue_m_put_nowait", "none"}, {T, "get_nowait", "rt_mp_Queue_m_get_nowait", "any"}, \
    {T, "qsize", "rt_mp_Queue_m_qsize", "int"}, {T, "empty", "rt_mp_Queue_m_empty", "bool"}, \
    {T, "full", "rt_mp_Queue_m_full", "bool"}, {T, "close", "rt_mp_Queue_m_close", "none"}, \
    {T, "join_thread", "rt_mp_Queue_m_join_thread", "none"},
    QUEUE_METHODS("rt_mp_Queue")
    QUEUE_METHODS("rt_mp_JoinableQueue")
    {"rt_mp_JoinableQueue", "task_done", "rt_mp_JoinableQueue_m_task_done", "none"},
    {"rt_mp_JoinableQueue", "join", "rt_mp_JoinableQueue_m_join", "none"},
    {"rt_mp_SimpleQueue", "put", "rt_mp_SimpleQueue_m_put", "none"},
    {"rt_mp_SimpleQueue", "get", "rt_mp_SimpleQueue_m_get", "any"},
    {"rt_mp_SimpleQueue", "empty", "rt_mp_SimpleQueue_m_empty", "bool"},
    {"rt_mp_Connection", "send", "rt_mp_Connection_m_send", "none"},
    {"rt_mp_Connection", "recv", "rt_mp_Connection_m_recv", "any"},
    {"rt_mp_Connection", "send_bytes", "rt_mp_Connection_m_send_bytes", "none"},
    {"rt_mp_Connection", "recv_bytes", "rt_mp_Connection_m_recv_bytes", "bytes"},
    {"rt_mp_Connection", "poll", "rt_mp_Connection_m_poll", "bool"},
    {"rt_mp_Connection", "close", "rt_mp_Connection_m_close", "none"},
    {"rt_mp_Process", "start", "rt_mp_Process_m_start", "none"},
    {"rt_mp_Process", "join", "rt_mp_Process_m_join", "none"},
    {"rt_mp_Process", "is_alive", "rt_mp_Process_m_is_alive", "bool"},
    {"rt_mp_Process", "terminate", "rt_mp_Process_m_terminate", "none"},
    {"rt_mp_Process", "kill", "rt_mp_Process_m_kill", "none"},
    {"rt_mp_Pool", "map", "rt_mp_Pool_m_map", NULL},
    {"rt_mp_Pool", "starmap", "rt_mp_Pool_m_starmap", NULL},
    {"rt_mp_Pool", "apply", "rt_mp_Pool_m_apply", NULL},
    {"rt_mp_Pool", "apply_async", "rt_mp_Pool_m_apply_async", NULL},
    {"rt_mp_Pool", "map_async", "rt_mp_Pool_m_map_async", NULL},
    {"rt_mp_Pool", "imap", "rt_mp_Pool_m_imap", NULL},
    {"rt_mp_Pool", "imap_unordered", "rt_mp_Pool_m_imap_unordered", NULL},
    {"rt_mp_Pool", "close", "rt_mp_Pool_m_close", "none"},
    {"rt_mp_Pool", "join", "rt_mp_Pool_m_join", "none"},
    /* Manager(): the factories, each giving a proxy to an object in the server
     * process (never the native lock types: their with-statement fast path
     * does not apply to a proxy) */
    {"rt_mp_SyncManager", "dict", "rt_mp_SyncManager_m_dict", "N:rt_mp_DictProxy"},
    {"rt_mp_SyncManager", "list", "rt_mp_SyncManager_m_list", "N:rt_mp_ListProxy"},
    {"rt_mp_SyncManager", "Namespace", "rt_mp_SyncManager_m_Namespace", "N:rt_mp_NamespaceProxy"},
    {"rt_mp_SyncManager", "Value", "rt_mp_SyncManager_m_Value", "N:rt_mp_ValueProxy"},
    {"rt_mp_SyncManager", "Array", "rt_mp_SyncManager_m_Array", "N:rt_mp_ArrayProxy"},
    {"rt_mp_SyncManager", "Lock", "rt_mp_SyncManager_m_Lock", "N:rt_mp_AcquirerProxy"},
    {"rt_mp_SyncManager", "RLock", "rt_mp_SyncManager_m_RLock", "N:rt_mp_AcquirerProxy"},
    {"rt_mp_SyncManager", "Semaphore", "rt_mp_SyncManager_m_Semaphore", "N:rt_mp_AcquirerProxy"},
    {"rt_mp_SyncManager", "BoundedSemaphore", "rt_mp_SyncManager_m_BoundedSemaphore", "N:rt_mp_AcquirerProxy"},
    {"rt_mp_SyncManager", "Event", "rt_mp_SyncManager_m_Event", "N:rt_mp_EventProxy"},
    {"rt_mp_SyncManager", "Condition", "rt_mp_SyncManager_m_Condition", "N:rt_mp_ConditionProxy"},
    {"rt_mp_SyncManager", "Barrier", "rt_mp_SyncManager_m_Barrier", "N:rt_mp_BarrierProxy"},
    {"rt_mp_SyncManager", "Queue", "rt_mp_SyncManager_m_Queue", "N:rt_mp_AutoProxy_Queue"},
    {"rt_mp_SyncManager", "JoinableQueue", "rt_mp_SyncManager_m_JoinableQueue", "N:rt_mp_AutoProxy_JoinableQueue"},
    {"rt_mp_SyncManager", "shutdown", "rt_mp_SyncManager_m_shutdown", "none"},
    {"rt_mp_BaseManager", "start", "rt_mp_SyncManager_m_start", "none"},
    {"rt_mp_BaseManager", "shutdown", "rt_mp_SyncManager_m_shutdown", "none"},
    {"rt_futures_ProcessPoolExecutor", "submit", "rt_futures_Executor_m_submit", "N:rt_futures_Future"},
    {"rt_futures_ProcessPoolExecutor", "map", "rt_futures_Executor_m_map", "any"},
    {"rt_futures_ProcessPoolExecutor", "shutdown", "rt_futures_Executor_m_shutdown", "none"},
    {"rt_futures_ThreadPoolExecutor", "submit", "rt_futures_Executor_m_submit", "N:rt_futures_Future"},
    {"rt_futures_ThreadPoolExecutor", "map", "rt_futures_Executor_m_map", "any"},
    {"rt_futures_ThreadPoolExecutor", "shutdown", "rt_futures_Executor_m_shutdown", "none"},
    {"rt_futures_Future", "result", "rt_futures_Future_m_result", "any"},
    {"rt_futures_Future", "exception", "rt_futures_Future_m_exception", "any"},
    {"rt_futures_Future", "done", "rt_futures_Future_m_done", "bool"},
    {"rt_futures_Future", "running", "rt_futures_Future_m_running", "bool"},
    {"rt_futures_Future", "cancelled", "rt_futures_Future_m_cancelled", "bool"},
    {"rt_futures_Future", "cancel", "rt_futures_Future_m_cancel", "bool"},
    {"rt_futures_Future", "add_done_callback", "rt_futures_Future_m_add_done_callback", "none"},
    {"rt_mp_Lock", "acquire", "rt_mp_lock_m_acquire", "bool"},
    {"rt_mp_Lock", "release", "rt_mp_lock_m_release", "none"},
    {"rt_mp_RLock", "acquire", "rt_mp_lock_m_acquire", "bool"},
    {"rt_mp_RLock", "release", "rt_mp_lock_m_release", "none"},
};

const NativeMethod *mod_native_method(const char *type, const char *name) {
    for (size_t i = 0; i < sizeof native_methods / sizeof native_methods[0]; i++)
        if (strcmp(native_methods[i].type, type) == 0 && strcmp(native_methods[i].name, name) == 0)
            return &native_methods[i];
    return NULL;
}

/* Is `type` one of the lock types (Lock, RLock, Semaphore, BoundedSemaphore),
 * whose `with` is acquire()/release()? */
bool mod_is_lock_type(const char *type) {
    return strcmp(type, "rt_mp_Lock") == 0 || strcmp(type, "rt_mp_RLock") == 0 ||
           strcmp(type, "rt_mp_Semaphore") == 0 || strcmp(type, "rt_mp_BoundedSemaphore") == 0;
}

static const char *const module_names[] = {
#define MODULE(name) name,
#include "modules.def"
#undef MODULE
};

bool mod_exists(const char *module) {
    for (size_t i = 0; i < sizeof module_names / sizeof module_names[0]; i++)
        if (strcmp(module_names[i], module) == 0) return true;
    return false;
}

const ModMember *mod_member(const char *module, const char *name) {
    for (int i = 0; i < NMEMBERS; i++)
        if (strcmp(members[i].module, module) == 0 && strcmp(members[i].name, name) == 0)
            return &members[i];
    return NULL;
}

const ModMember *mod_member_at(const char *module, int i) {
    for (int k = 0; k < NMEMBERS; k++)
        if (strcmp(members[k].module, module) == 0 && i-- == 0) return &members[k];
    return NULL;
}
