#pragma once

// The JS side of a run, as the scheduler sees it (docs/architecture.md, "Folders and the
// dependency rule"). Implemented in src/vu; tests use a fake.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "exec/vu.hpp"

namespace volley::exec {

class Runner {
public:
    virtual ~Runner() = default;

    // Creates VU `id` (1-based) for worker `worker` and runs its init context on the calling
    // coroutine (which runs on that worker). The scheduler calls it for many VUs at once, on all
    // workers. Throws UserError (exit 107) if the init context fails; the scheduler then stops
    // the test and rethrows the first such error from Scheduler::run().
    virtual std::unique_ptr<Vu> new_vu(std::uint64_t id, std::size_t worker, Yield yield) = 0;

    // Runs setup() once (VU 0) on a coroutine of worker 0. Throws UserError on failure (the
    // scheduler rethrows it from run() and skips the scenarios and teardown).
    virtual void setup(Yield yield) = 0;

    // Runs teardown(data) once on a coroutine of worker 0. Throws UserError on failure.
    virtual void teardown(Yield yield) = 0;

    // Thread-safe. Makes a running setup() or teardown() return promptly (by throwing), for
    // setupTimeout/teardownTimeout and stop(). A no-op when neither runs.
    virtual void interrupt_lifecycle() = 0;
};

} // namespace volley::exec
