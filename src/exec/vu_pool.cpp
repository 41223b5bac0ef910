#include "exec/vu_pool.hpp"

#include <algorithm>
#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "util/coroutine.hpp"
#include "util/error.hpp"

namespace volley::exec {
VuPool::VuPool(Workers& workers, ControlSync& sync, ExecutionState& state)
    : workers_(workers), sync_(sync), state_(state), wakers_(workers.size()) {}

VuPool::~VuPool() {
    std::lock_guard lock(sync_.mutex);
    VOLLEY_CHECK(running_ == 0);
}

VuSlot& VuPool::spawn(Runner& runner) {
    auto slot = std::make_unique<VuSlot>();
    slot->id = slots_.size() + 1;
    slot->worker = (slot->id - 1) % workers_.size();
    VuSlot& ref = *slot;
    slots_.push_back(std::move(slot));
    ++running_;
    workers_.spawn(ref.worker, [this, &ref, &runner](Yield yield) { vu_main(ref, runner, yield); });
    return ref;
}

void VuPool::vu_main(VuSlot& slot, Runner& runner, Yield yield) {
    std::exception_ptr error;
    try {
        slot.vu = runner.new_vu(slot.id, slot.worker, yield);
    } catch (const std::exception&) { // forced_unwind is not a std::exception: it passes
        error = std::current_exception();
    }
    {
        std::lock_guard lock(sync_.mutex);
        slot.ready = true;
        if (error && !first_error_) {
            first_error_ = error;
        }
        if (slot.vu) {
            state_.vus_initialized.fetch_add(1, std::memory_order_relaxed);
        }
        sync_.cv.notify_all();
    }
    if (slot.vu) {
        idle_loop(slot, yield);
    }
    slot.vu.reset();
    slot.wake = nullptr;
    std::lock_guard lock(sync_.mutex);
    --running_;
    sync_.cv.notify_all();
}

void VuPool::idle_loop(VuSlot& slot, Yield yield) {
    SteadyTimer timer(yield.get_executor());
    slot.wake = [&timer] { timer.cancel(); };
    for (;;) {
        if (!slot.jobs.empty()) {
            Job job = std::move(slot.jobs.front());
            slot.jobs.pop_front();
            job(yield);
            continue;
        }
        if (slot.quit) {
            return;
        }
        timer.expires_at(SteadyTimer::time_point::max());
        boost::system::error_code ec;
        timer.async_wait(yield[ec]); // cancelled by post() and quit
    }
}

bool VuPool::all_ready() const {
    return std::all_of(slots_.begin(), slots_.end(), [](const auto& s) { return s->ready; });
}

VuSlot* VuPool::acquire() {
    if (free_.empty()) {
        return nullptr;
    }
    VuSlot* slot = free_.back();
    free_.pop_back();
    return slot;
}

void VuPool::release(VuSlot& slot) {
    auto pos = std::lower_bound(free_.begin(), free_.end(), &slot,
                                [](VuSlot* a, VuSlot* b) { return a->id > b->id; });
    free_.insert(pos, &slot);
}

void VuPool::release_initialized() {
    std::lock_guard lock(sync_.mutex);
    for (auto it = slots_.rbegin(); it != slots_.rend(); ++it) {
        if ((*it)->ready && (*it)->vu) {
            free_.push_back(it->get());
        }
    }
}

void VuPool::post(VuSlot& slot, Job job) {
    boost::asio::post(workers_.context(slot.worker), [this, &slot, job = std::move(job)]() mutable {
        slot.jobs.push_back(std::move(job));
        wake_soon(slot);
    });
}

void VuPool::wake_soon(VuSlot& slot) {
    Waker& w = wakers_[slot.worker];
    w.queue.push_back(&slot);
    if (!w.posted) {
        w.posted = true;
        boost::asio::post(workers_.context(slot.worker), [this, i = slot.worker] { wake_some(i); });
    }
}

void VuPool::wake_some(std::size_t worker) {
    Waker& w = wakers_[worker];
    for (int n = 0; n < kWakesPerTurn && !w.queue.empty(); ++n) {
        VuSlot* slot = w.queue.front();
        w.queue.pop_front();
        if (slot->wake) {
            slot->wake();
        }
    }
    if (w.queue.empty()) {
        w.posted = false;
        return;
    }
    // Posted behind what the wakes just queued and behind the reactor's next turn.
    boost::asio::post(workers_.context(worker), [this, worker] { wake_some(worker); });
}

void VuPool::quit_and_wait() {
    for (auto& slot : slots_) {
        boost::asio::post(workers_.context(slot->worker), [s = slot.get()] {
            s->quit = true;
            if (s->wake) {
                s->wake();
            }
        });
    }
    std::unique_lock lock(sync_.mutex);
    sync_.cv.wait(lock, [this] { return running_ == 0; });
}

} // namespace volley::exec
