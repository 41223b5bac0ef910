#include "config/execution_segment.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace volley::config {
namespace {

__extension__ using Wide = __int128;

Wide wide_gcd(Wide a, Wide b) {
    a = a < 0 ? -a : a;
    b = b < 0 ? -b : b;
    while (b != 0) {
        Wide t = a % b;
        a = b;
        b = t;
    }
    return a;
}

// A reduced fraction from 128-bit parts; throws when it does not fit in 64 bits.
Rational reduce(Wide num, Wide den) {
    if (den < 0) {
        num = -num;
        den = -den;
    }
    Wide g = wide_gcd(num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    constexpr Wide kMax = INT64_MAX;
    if (num > kMax || num < -kMax || den > kMax) {
        throw std::invalid_argument("the fraction is too precise for volley (at most 63 bits in "
                                    "its numerator and denominator)");
    }
    return {Rational::kReduced, static_cast<std::int64_t>(num), static_cast<std::int64_t>(den)};
}

// Go's big.Rat quotient rounding of roundUp: halves and above go up (values are >= 0 here).
Wide round_up(Wide num, Wide den) {
    Wide quo = num / den;
    Wide rem = num % den;
    return rem * 2 >= den ? quo + 1 : quo;
}

std::optional<Wide> parse_integer(std::string_view s, bool allow_sign) {
    bool negative = false;
    if (allow_sign && !s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 36) {
        return std::nullopt;
    }
    Wide v = 0;
    for (char c : s) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
    }
    return negative ? -v : v;
}

Wide pow10(int n) {
    Wide v = 1;
    for (int i = 0; i < n; ++i) {
        v *= 10;
    }
    return v;
}

// Go's big.Rat.SetString for decimals: [sign] digits [. digits] [(e|E) [sign] digits].
std::optional<Rational> parse_decimal(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    std::size_t e = s.find_first_of("eE");
    std::int64_t exponent = 0;
    if (e != std::string_view::npos) {
        auto exp = parse_integer(s.substr(e + 1), true);
        if (!exp || *exp > 30 || *exp < -30) {
            return std::nullopt;
        }
        exponent = static_cast<std::int64_t>(*exp);
        s = s.substr(0, e);
    }
    std::size_t dot = s.find('.');
    std::string digits(s.substr(0, dot));
    if (dot != std::string_view::npos) {
        std::string_view frac = s.substr(dot + 1);
        digits += frac;
        exponent -= static_cast<std::int64_t>(frac.size());
    }
    auto mantissa = parse_integer(digits, false);
    if (!mantissa || exponent > 30 || exponent < -36) {
        return std::nullopt;
    }
    Wide num = negative ? -*mantissa : *mantissa;
    if (exponent >= 0) {
        Wide scale = pow10(static_cast<int>(exponent));
        constexpr Wide kWideMax = ~(Wide(1) << 127); // 2^127 - 1
        if (*mantissa > kWideMax / scale) {
            return reduce(kWideMax, 1); // far beyond 63 bits: refused
        }
        return reduce(num * scale, 1);
    }
    return reduce(num, pow10(static_cast<int>(-exponent)));
}

std::invalid_argument bad_value(std::string_view text) {
    return std::invalid_argument(
        fmt::format("'{}' is not a valid percentage, decimal, fraction or interval value", text));
}

} // namespace

// --- Rational -------------------------------------------------------------------------------

Rational::Rational(std::int64_t num, std::int64_t den) {
    if (den == 0) {
        throw std::invalid_argument("zero denominator");
    }
    *this = reduce(num, den);
}

std::string Rational::rat_string() const {
    return den_ == 1 ? std::to_string(num_) : fmt::format("{}/{}", num_, den_);
}

std::string Rational::float_string(int digits) const {
    Wide num = num_ < 0 ? -Wide{num_} : Wide{num_};
    Wide scale = pow10(digits);
    Wide q = (num * scale) / den_;
    Wide r = (num * scale) % den_;
    if (r * 2 >= den_) {
        ++q;
    }
    auto whole = static_cast<std::int64_t>(q / scale);
    auto frac = static_cast<std::int64_t>(q % scale);
    std::string out = (num_ < 0 ? "-" : "") + std::to_string(whole);
    if (digits > 0) {
        out += fmt::format(".{:0{}}", frac, digits);
    }
    return out;
}

double Rational::to_double() const {
    return static_cast<double>(num_) / static_cast<double>(den_);
}

bool operator<(const Rational& a, const Rational& b) {
    return Wide{a.num_} * b.den_ < Wide{b.num_} * a.den_;
}

Rational operator+(const Rational& a, const Rational& b) {
    return reduce(Wide{a.num_} * b.den_ + Wide{b.num_} * a.den_, Wide{a.den_} * b.den_);
}

Rational operator-(const Rational& a, const Rational& b) {
    return reduce(Wide{a.num_} * b.den_ - Wide{b.num_} * a.den_, Wide{a.den_} * b.den_);
}

Rational operator*(const Rational& a, const Rational& b) {
    return reduce(Wide{a.num_} * b.num_, Wide{a.den_} * b.den_);
}

Rational parse_rational(std::string_view text) {
    if (!text.empty() && text.back() == '%') {
        auto n = parse_integer(text.substr(0, text.size() - 1), true);
        if (!n) {
            throw std::invalid_argument(fmt::format("'{}' is not a valid percentage", text));
        }
        return reduce(*n, 100);
    }
    std::size_t slash = text.find('/');
    if (slash != std::string_view::npos) {
        auto num = parse_integer(text.substr(0, slash), true);
        auto den = parse_integer(text.substr(slash + 1), false);
        if (!num || !den || *den == 0) {
            throw bad_value(text);
        }
        return reduce(*num, *den);
    }
    auto r = parse_decimal(text);
    if (!r) {
        throw bad_value(text);
    }
    return *r;
}

// --- Segment --------------------------------------------------------------------------------

Segment::Segment(Rational from, Rational to) : from_(from), to_(to) {
    if (from < Rational(0, 1)) {
        throw std::invalid_argument(
            fmt::format("segment start value must be at least 0 but was {}", from.float_string(2)));
    }
    if (!(from < to)) {
        throw std::invalid_argument(fmt::format("segment start({}) must be less than its end({})",
                                                from.float_string(2), to.float_string(2)));
    }
    if (Rational(1, 1) < to) {
        throw std::invalid_argument(
            fmt::format("segment end value can't be more than 1 but was {}", to.float_string(2)));
    }
}

Segment Segment::parse(std::string_view text) {
    if (text.empty()) {
        text = "1";
    }
    Rational from(0, 1);
    std::size_t colon = text.find(':');
    if (colon != std::string_view::npos) {
        from = parse_rational(text.substr(0, colon));
        text = text.substr(colon + 1);
    }
    return {from, parse_rational(text)};
}

std::string Segment::str() const {
    return from_.rat_string() + ":" + to_.rat_string();
}

std::int64_t Segment::scale(std::int64_t value) const {
    if (is_full()) {
        return value;
    }
    Wide from_up = round_up(Wide{value} * from_.num(), from_.den());
    Wide to_num = Wide{value} * to_.num() - from_up * to_.den();
    return static_cast<std::int64_t>(round_up(to_num, to_.den()));
}

// --- SegmentSequence -----------------------------------------------------------------------

SegmentSequence::SegmentSequence(std::vector<Segment> segments) : segments_(std::move(segments)) {
    for (std::size_t i = 1; i < segments_.size(); ++i) {
        const Rational& prev = segments_[i - 1].to();
        if (!(segments_[i].from() == prev)) {
            throw std::invalid_argument(fmt::format(
                "the start value {}/{} of segment #{} must be equal to the end value of the "
                "previous one, but it is {}/{}",
                segments_[i].from().num(), segments_[i].from().den(), i, prev.num(), prev.den()));
        }
    }
}

SegmentSequence SegmentSequence::parse(std::string_view text) {
    if (text.empty()) {
        return {};
    }
    std::vector<std::string_view> points;
    for (std::size_t start = 0;;) {
        std::size_t comma = text.find(',', start);
        points.push_back(text.substr(start, comma - start));
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    if (points.size() < 2) {
        throw std::invalid_argument(
            fmt::format("at least 2 points are needed for an execution segment sequence, {} given",
                        points.size()));
    }
    std::vector<Segment> segments;
    Rational start = parse_rational(points[0]);
    for (std::size_t i = 1; i < points.size(); ++i) {
        Rational to = parse_rational(points[i]);
        segments.emplace_back(start, to);
        start = to;
    }
    return SegmentSequence(std::move(segments));
}

std::string SegmentSequence::str() const {
    std::string out;
    for (std::size_t i = 0; i < segments_.size(); ++i) {
        if (i == 0) {
            out = segments_[i].from().rat_string();
        }
        out += "," + segments_[i].to().rat_string();
    }
    return out;
}

std::size_t SegmentSequence::position_of(const Segment& segment) const {
    auto it = std::find_if(segments_.begin(), segments_.end(),
                           [&](const Segment& s) { return !(s.from() < segment.from()); });
    if (it == segments_.end() || !(*it == segment)) {
        throw std::invalid_argument(
            fmt::format("couldn't find segment {} in sequence {}", segment.str(), str()));
    }
    return static_cast<std::size_t>(it - segments_.begin());
}

// --- Stripe ---------------------------------------------------------------------------------

Stripe::Stripe(std::int64_t s, std::vector<std::int64_t> offs, std::int64_t l)
    : start(s), offsets(std::move(offs)), lcd(l) {
    prefix_.assign(offsets.size() + 1, 0);
    std::partial_sum(offsets.begin(), offsets.end(), prefix_.begin() + 1);
}

std::uint64_t Stripe::global(std::uint64_t local) const {
    auto n = static_cast<std::uint64_t>(offsets.size());
    return static_cast<std::uint64_t>(start) + (local / n) * static_cast<std::uint64_t>(lcd) +
           static_cast<std::uint64_t>(prefix_[local % n]);
}

// --- ExecutionTuple -------------------------------------------------------------------------

// k6's ExecutionSegmentSequenceWrapper: a full sequence with each segment's stripe.
struct ExecutionTuple::Wrapper {
    std::vector<Segment> sequence;
    std::int64_t lcd = 1;
    std::vector<Stripe> stripes;

    explicit Wrapper(std::vector<Segment> full);
    std::int64_t scale(std::size_t index, std::int64_t value) const;
};

namespace {

// The most elements one striping cycle may have: k6 deals every element of the cycle in turn,
// so a sequence as fine as 1/10^11 would not finish there either.
constexpr std::int64_t kMaxCycle = 10'000'000;

std::invalid_argument too_fine() {
    return std::invalid_argument(
        fmt::format("the execution segments are too fine: their common denominator is above {}; "
                    "use fractions with smaller denominators",
                    kMaxCycle));
}

// The least common denominator of the segments' lengths; above kMaxCycle throws too_fine().
std::int64_t sequence_lcd(const std::vector<Segment>& sequence) {
    std::int64_t acc = 1;
    for (const auto& segment : sequence) {
        std::int64_t n = segment.length().den();
        if (acc % n != 0) {
            std::int64_t factor = n / std::gcd(acc, n);
            if (acc > kMaxCycle / factor) {
                throw too_fine();
            }
            acc *= factor;
        }
    }
    if (acc > kMaxCycle) {
        throw too_fine();
    }
    return acc;
}

// k6's GetFilledExecutionSegmentSequence.
std::vector<Segment> filled(const SegmentSequence& sequence, const Segment& fallback) {
    std::vector<Segment> result;
    if (sequence.empty()) {
        result.push_back(fallback.is_full() ? Segment() : fallback);
    } else {
        result = sequence.segments();
    }
    if (!(result.front().from() == Rational(0, 1))) {
        result.insert(result.begin(), Segment(Rational(0, 1), result.front().from()));
    }
    if (!(result.back().to() == Rational(1, 1))) {
        result.emplace_back(result.back().to(), Rational(1, 1));
    }
    return result;
}

} // namespace

// k6's NewExecutionSegmentSequenceWrapper: deals the lcd elements of one cycle to the segments,
// largest first, each taking the next element once it is behind its share.
ExecutionTuple::Wrapper::Wrapper(std::vector<Segment> full)
    : sequence(std::move(full)), lcd(sequence_lcd(sequence)) {
    std::size_t n = sequence.size();
    struct Norm {
        std::int64_t numerator;
        std::size_t index;
    };
    std::vector<Norm> sorted(n);
    std::vector<std::vector<std::int64_t>> offsets(n);
    for (std::size_t i = 0; i < n; ++i) {
        Rational len = sequence[i].length();
        sorted[i] = {len.num() * (lcd / len.den()), i};
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Norm& a, const Norm& b) { return a.numerator > b.numerator; });
    std::vector<std::int64_t> prev(n, 0);
    std::vector<std::int64_t> chosen(n, 0);
    for (std::int64_t i = 0; i < lcd; ++i) {
        for (std::size_t s = 0; s < n; ++s) {
            std::int64_t num = chosen[s] * lcd;
            std::int64_t denom = sorted[s].numerator;
            if (i > num / denom || (i == num / denom && num % denom == 0)) {
                ++chosen[s];
                auto& offs = offsets[sorted[s].index];
                offs.push_back(i - prev[sorted[s].index]);
                prev[sorted[s].index] = i;
                if (static_cast<std::int64_t>(offs.size()) == denom) {
                    offs.push_back(offs[0] + lcd - i);
                }
                break;
            }
        }
    }
    for (auto& offs : offsets) {
        stripes.emplace_back(offs[0], std::vector<std::int64_t>(offs.begin() + 1, offs.end()), lcd);
    }
}

std::int64_t ExecutionTuple::Wrapper::scale(std::size_t index, std::int64_t value) const {
    const Stripe& s = stripes[index];
    auto n = static_cast<std::int64_t>(s.offsets.size());
    std::int64_t result = (value / lcd) * n;
    std::size_t gi = 0;
    for (std::int64_t i = s.start; i < value % lcd; i += s.offsets[gi++]) {
        ++result;
    }
    return result;
}

ExecutionTuple::ExecutionTuple() : ExecutionTuple(Segment(), SegmentSequence()) {}

ExecutionTuple::ExecutionTuple(const Segment& segment, const SegmentSequence& sequence) {
    auto full = filled(sequence, segment);
    index_ = SegmentSequence(full).position_of(segment);
    wrapper_ = std::make_shared<const Wrapper>(std::move(full));
}

ExecutionTuple::ExecutionTuple(std::shared_ptr<const Wrapper> wrapper, std::size_t index)
    : wrapper_(std::move(wrapper)), index_(index) {}

const Segment& ExecutionTuple::segment() const {
    return wrapper_->sequence[index_];
}

bool ExecutionTuple::segmented() const {
    return wrapper_->sequence.size() > 1;
}

std::int64_t ExecutionTuple::scale(std::int64_t value) const {
    return segmented() ? wrapper_->scale(index_, value) : value;
}

const Stripe& ExecutionTuple::stripe() const {
    return wrapper_->stripes[index_];
}

std::optional<ExecutionTuple> ExecutionTuple::for_value(std::int64_t value) const {
    if (value < 1) {
        return std::nullopt;
    }
    if (value % wrapper_->lcd == 0) {
        return *this;
    }
    std::vector<Segment> cut;
    std::optional<std::size_t> index;
    std::int64_t prev = 0;
    for (std::size_t i = 0; i < wrapper_->sequence.size(); ++i) {
        std::int64_t share = wrapper_->scale(i, value);
        if (share == 0) {
            continue;
        }
        if (i == index_) {
            index = cut.size();
        }
        cut.emplace_back(Rational(prev, value), Rational(prev + share, value));
        prev += share;
    }
    if (!index) {
        return std::nullopt;
    }
    return ExecutionTuple(std::make_shared<const Wrapper>(std::move(cut)), *index);
}

// --- SegmentedIndex -------------------------------------------------------------------------

SegmentedIndex::Pos SegmentedIndex::next() {
    const auto& offs = stripe_.offsets;
    if (pos_.scaled == 0) {
        pos_.unscaled += stripe_.start + 1;
    } else {
        pos_.unscaled += offs[static_cast<std::size_t>(pos_.scaled - 1) % offs.size()];
    }
    ++pos_.scaled;
    return pos_;
}

SegmentedIndex::Pos SegmentedIndex::prev() {
    const auto& offs = stripe_.offsets;
    if (pos_.scaled == 1) {
        pos_.unscaled -= stripe_.start + 1;
    } else {
        pos_.unscaled -= offs[static_cast<std::size_t>(pos_.scaled - 2) % offs.size()];
    }
    --pos_.scaled;
    return pos_;
}

SegmentedIndex::Pos SegmentedIndex::go_to(std::int64_t value) {
    const auto& offs = stripe_.offsets;
    std::int64_t whole = value / stripe_.lcd;
    pos_.scaled = whole * static_cast<std::int64_t>(offs.size());
    pos_.unscaled = whole * stripe_.lcd + stripe_.start + 1;
    std::size_t gi = 0;
    for (std::int64_t i = stripe_.start; i < value % stripe_.lcd; i += offs[gi++]) {
        ++pos_.scaled;
        pos_.unscaled += offs[gi];
    }
    if (gi > 0) {
        pos_.unscaled -= offs[gi - 1];
    } else if (pos_.scaled > 0) {
        pos_.unscaled -= offs.back();
    }
    if (pos_.scaled == 0) {
        pos_.unscaled = 0;
    }
    return pos_;
}

} // namespace volley::config
