#include "exec/constant_vus.hpp"

namespace volley::exec {

std::uint64_t ConstantVus::max_vus() const {
    return static_cast<std::uint64_t>(tuple_.scale(config_.vus));
}

std::uint64_t ConstantVus::active_vus(Duration t) const {
    return t < regular_duration() ? max_vus() : 0;
}

std::optional<std::uint64_t> ConstantVus::claim(std::uint64_t index, std::uint64_t /*done*/,
                                                Duration t) {
    if (index >= active_vus(t)) {
        return std::nullopt;
    }
    return next_number();
}

} // namespace volley::exec
