# Process settings for Candor's JVMs, sourced (POSIX sh) by bin/candor, .ci/run and the images'
# candor command. Measured on CPU: see docs/benchmarks.md, "Allocator and threads". A value the
# caller already set is kept.
#
# glibc malloc: PyTorch frees and re-allocates tensor buffers of many MiB every step. With glibc's
# defaults those are mmap'ed, returned to the kernel on free and page-faulted back on the next step
# (millions of minor faults, a large share of kernel time). Serving them from the heap and not
# trimming it keeps the memory mapped. CANDOR_MALLOC_TUNING=off keeps glibc's defaults. Other C
# libraries ignore these variables.
case "${CANDOR_MALLOC_TUNING:-on}" in
  off | false | 0) ;;
  *)
    : "${MALLOC_MMAP_THRESHOLD_:=4294967296}"
    : "${MALLOC_TRIM_THRESHOLD_:=17179869184}"
    : "${MALLOC_TOP_PAD_:=1073741824}"
    # Few arenas: with glibc's default (8 per core) every thread that frees tensors keeps its own
    # never-trimmed arena, and a trainer round's peak resident memory doubled (10.6 GB vs 5.2 GB
    # with 2 arenas, same training time; docs/benchmarks.md, "Allocator and threads").
    : "${MALLOC_ARENA_MAX:=2}"
    export MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_ MALLOC_TOP_PAD_ MALLOC_ARENA_MAX
    ;;
esac
# OpenMP worker threads sleep instead of spinning when idle: the stream, the broker and Kafka's
# threads share the cores with PyTorch.
: "${OMP_WAIT_POLICY:=PASSIVE}"
export OMP_WAIT_POLICY
