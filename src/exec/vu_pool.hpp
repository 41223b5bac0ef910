#pragma once

// The VUs of a run and their coroutines. Each VU has one coroutine for the whole test, on its
// worker: it runs the VU's init context, then waits for jobs (an iteration loop of a looping
// scenario, or one arrival-rate iteration) posted by the scheduler's control thread, and returns
// when told to quit, destroying the VU on its own thread (style.md rule 18).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "exec/execution_state.hpp"
#include "exec/runner.hpp"
#include "exec/vu.hpp"
#include "exec/workers.hpp"

namespace volley::exec {

// The control thread's lock and wake-up: VU coroutines take `mutex` to report back, then
// notify `cv`.
struct ControlSync {
    std::mutex mutex;
    std::condition_variable cv;
    void notify() {
        std::lock_guard lock(mutex);
        cv.notify_all();
    }
};

using Job = std::function<void(Yield)>;

struct VuSlot {
    std::uint64_t id = 0;
    std::size_t worker = 0;
    std::unique_ptr<Vu> vu; // set by the coroutine before `ready`; reset when it quits

    // Guarded by ControlSync::mutex.
    bool ready = false; // init finished (vu is null if it failed)

    // True while run_iteration() may run: written by the VU's coroutine, read by the control
    // thread to decide whether to interrupt (seq_cst, paired with the scenarios' stop flags).
    std::atomic<bool> in_iteration{false};

    // Worker thread only.
    std::deque<Job> jobs;
    bool quit = false;
    std::function<void()> wake; // cancels the coroutine's idle wait
};

class VuPool {
public:
    VuPool(Workers& workers, ControlSync& sync, ExecutionState& state);
    // VOLLEY_CHECKs that every coroutine has returned (wait_all_returned()).
    ~VuPool();
    VuPool(const VuPool&) = delete;
    VuPool& operator=(const VuPool&) = delete;

    // Control thread, holding sync.mutex. Creates the next VU (ids 1, 2, ...; worker (id-1) %
    // workers) and starts its coroutine, which calls runner.new_vu() at once. `runner` must outlive
    // the pool's coroutines. The slot stays valid for the pool's lifetime.
    VuSlot& spawn(Runner& runner);

    std::size_t size() const { return slots_.size(); }

    // Under sync.mutex. True when every spawned VU finished its init (successfully or not).
    bool all_ready() const;
    // Under sync.mutex. The first init failure, if any.
    std::exception_ptr first_error() const { return first_error_; }

    // Control thread. Takes an idle initialised VU (lowest id first), or nullptr.
    VuSlot* acquire();
    // Control thread, not holding sync.mutex, once after the initial VUs are ready: makes every
    // initialised VU available to acquire().
    void release_initialized();
    // Control thread. Gives a VU back once its scenario no longer uses it.
    void release(VuSlot& slot);

    // Any thread. Queues `job` on the VU's coroutine; jobs run in order.
    void post(VuSlot& slot, Job job);

    // Control thread, not holding sync.mutex. Tells every coroutine to quit once its queued jobs
    // are done and waits (on the real monotonic clock) until all have returned.
    void quit_and_wait();

private:
    // Wakes of idle VUs on one worker, at most kWakesPerTurn per turn of its io_context, so
    // that a burst of job starts (4,000 VUs starting at once) is interleaved with the worker's
    // network completions instead of running ahead of all of them: a VU's first dial is not
    // left waiting behind the start of every other VU on its worker. Worker thread only.
    struct Waker {
        std::deque<VuSlot*> queue;
        bool posted = false;
    };
    static constexpr int kWakesPerTurn = 16;
    void wake_soon(VuSlot& slot);
    void wake_some(std::size_t worker);

    void vu_main(VuSlot& slot, Runner& runner, Yield yield);
    void idle_loop(VuSlot& slot, Yield yield);

    Workers& workers_;
    ControlSync& sync_;
    ExecutionState& state_;
    std::deque<std::unique_ptr<VuSlot>> slots_;
    std::vector<Waker> wakers_;      // one per worker
    std::vector<VuSlot*> free_;      // control thread only, kept sorted by id, descending
    std::size_t running_ = 0;        // coroutines not yet returned; under sync.mutex
    std::exception_ptr first_error_; // under sync.mutex
};

} // namespace volley::exec
