#include "modules/shared_array_data.hpp"

namespace volley::modules {

void SharedArrayData::append(std::string_view json) {
    text_.append(json);
    ends_.push_back(text_.size());
    text_.push_back('\0');
}

void SharedArrayData::shrink() {
    text_.shrink_to_fit();
    ends_.shrink_to_fit();
}

std::string_view SharedArrayData::element(std::size_t i) const {
    std::size_t begin = i == 0 ? 0 : ends_[i - 1] + 1;
    return {text_.data() + begin, ends_[i] - begin};
}

std::size_t SharedArrayData::bytes() const {
    return text_.capacity() + ends_.capacity() * sizeof(std::size_t);
}

} // namespace volley::modules
