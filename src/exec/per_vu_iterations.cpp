#include "exec/per_vu_iterations.hpp"

namespace volley::exec {

std::uint64_t PerVuIterations::max_vus() const {
    return static_cast<std::uint64_t>(tuple_.scale(config_.vus));
}

std::uint64_t PerVuIterations::active_vus(Duration t) const {
    return t < regular_duration() ? max_vus() : 0;
}

std::optional<std::uint64_t> PerVuIterations::claim(std::uint64_t index, std::uint64_t done,
                                                    Duration t) {
    if (index >= max_vus() || t >= regular_duration() ||
        done >= static_cast<std::uint64_t>(config_.iterations)) {
        return std::nullopt;
    }
    return next_number();
}

} // namespace volley::exec
