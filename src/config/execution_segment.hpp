#pragma once

// Execution segments, as k6 v1.6.1's lib/execution_segment.go: how one instance of a distributed
// test takes its share of every scenario's VUs, iterations and arrivals (k6's "execution
// segments" and "striping").
//
//  * A Segment is a half-open interval of the test, [from, to) with 0 <= from < to <= 1, written
//    "1/3:2/3", "0.5:1", "50%" (= 0:50%) or "" (= 0:1).
//  * A SegmentSequence ("0,1/3,2/3,1") is how the whole test is cut; each instance names its
//    segment and the sequence. Without a sequence an instance's segment stands alone (with the
//    gaps before and after it as the other segments).
//  * ExecutionTuple = the filled sequence + this instance's segment. ScaleInt64 gives this
//    segment's share of an integer (VUs, iterations) so that the shares of all segments add up to
//    the whole; the stripe tells which of the whole test's elements (VUs, iterations, arrivals)
//    are this segment's: element `start`, then every following one at the `offsets`, cyclically
//    with period `lcd`.
//
// Fractions are exact (int64 numerator and denominator, 128-bit intermediates); k6 uses
// arbitrary precision, so a value whose denominator does not fit in 63 bits is refused here.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace volley::config {

// An exact non-negative fraction in lowest terms.
class Rational {
public:
    Rational() = default;
    Rational(std::int64_t num, std::int64_t den); // den != 0; reduced
    struct Reduced {};
    static constexpr Reduced kReduced{};
    Rational(Reduced, std::int64_t num, std::int64_t den) : num_(num), den_(den) {}
    std::int64_t num() const { return num_; }
    std::int64_t den() const { return den_; }
    // Go's big.Rat.RatString: "a/b", or "a" when the denominator is 1.
    std::string rat_string() const;
    // Go's big.Rat.FloatString(digits): rounded half away from zero.
    std::string float_string(int digits) const;
    double to_double() const;
    friend bool operator==(const Rational& a, const Rational& b) = default;
    friend bool operator<(const Rational& a, const Rational& b);
    friend Rational operator+(const Rational& a, const Rational& b);
    friend Rational operator-(const Rational& a, const Rational& b);
    friend Rational operator*(const Rational& a, const Rational& b);

private:
    std::int64_t num_ = 0;
    std::int64_t den_ = 1;
};

// k6's stringToRat: "50%", "1/3", "0.25", "1e-1". Throws std::invalid_argument with k6's text.
Rational parse_rational(std::string_view text);

class Segment {
public:
    Segment() = default; // 0:1
    // k6's NewExecutionSegment: throws std::invalid_argument with k6's text when out of range.
    Segment(Rational from, Rational to);
    // k6's NewExecutionSegmentFromString ("" is 0:1; "x" is 0:x).
    static Segment parse(std::string_view text);

    const Rational& from() const { return from_; }
    const Rational& to() const { return to_; }
    Rational length() const { return to_ - from_; }
    bool is_full() const { return from_ == Rational(0, 1) && to_ == Rational(1, 1); }
    std::string str() const; // "1/3:2/3"
    // k6's Scale: round(value*to) - round(value*from), halves rounded up.
    std::int64_t scale(std::int64_t value) const;
    friend bool operator==(const Segment& a, const Segment& b) = default;

private:
    Rational from_{0, 1};
    Rational to_{1, 1};
};

class SegmentSequence {
public:
    SegmentSequence() = default;
    // k6's NewExecutionSegmentSequence: each segment must start where the previous ended.
    explicit SegmentSequence(std::vector<Segment> segments);
    // k6's NewExecutionSegmentSequenceFromString: "0,1/3,2/3,1" ("" is an empty sequence).
    static SegmentSequence parse(std::string_view text);

    const std::vector<Segment>& segments() const { return segments_; }
    bool empty() const { return segments_.empty(); }
    std::string str() const; // "0,1/3,2/3,1"
    // k6's FindSegmentPosition; throws std::invalid_argument when absent.
    std::size_t position_of(const Segment& segment) const;

private:
    std::vector<Segment> segments_;
};

// Which of the whole test's elements (0-based) belong to one segment: `start`, then each next
// one `offsets[i % n]` further; the offsets of one cycle add up to `lcd`.
struct Stripe {
    Stripe() = default; // every element: no segmentation
    Stripe(std::int64_t start, std::vector<std::int64_t> offsets, std::int64_t lcd);

    std::int64_t start = 0;
    std::vector<std::int64_t> offsets{1};
    std::int64_t lcd = 1;

    // The test-wide 0-based index of this segment's `local`-th (0-based) element.
    std::uint64_t global(std::uint64_t local) const;

private:
    std::vector<std::int64_t> prefix_{0}; // prefix_[i] = offsets[0] + ... + offsets[i-1]
};

// k6's ExecutionTuple over an ExecutionSegmentSequenceWrapper.
class ExecutionTuple {
public:
    ExecutionTuple(); // the full segment of the one-segment sequence: no segmentation
    // k6's NewExecutionTuple: fills the sequence (or the segment's gaps) to 0..1 and finds the
    // segment in it; throws std::invalid_argument ("couldn't find segment …") when absent, and
    // when the segments' common denominator is above 10^7 (a striping cycle that long would
    // not finish under k6 either).
    ExecutionTuple(const Segment& segment, const SegmentSequence& sequence);

    const Segment& segment() const;
    std::size_t index() const { return index_; }
    bool segmented() const;
    // k6's ExecutionTuple.ScaleInt64: this segment's share of `value` by striping.
    std::int64_t scale(std::int64_t value) const;
    const Stripe& stripe() const;
    // k6's GetNewExecutionTupleFromValue: the tuple of the sequence re-cut for `value` elements
    // (so that e.g. iterations follow the VUs they are shared among); nullopt where k6 errors
    // (value < 1, or this segment gets none of `value`).
    std::optional<ExecutionTuple> for_value(std::int64_t value) const;

private:
    struct Wrapper;
    ExecutionTuple(std::shared_ptr<const Wrapper> wrapper, std::size_t index);

    std::shared_ptr<const Wrapper> wrapper_;
    std::size_t index_ = 0;
};

// k6's SegmentedIndex: walks a stripe one element at a time, giving both the segment's own
// count ("scaled") and the test-wide position ("unscaled"), 1-based. Used for ramping-vus.
class SegmentedIndex {
public:
    explicit SegmentedIndex(const Stripe& stripe) : stripe_(stripe) {}
    struct Pos {
        std::int64_t scaled = 0;
        std::int64_t unscaled = 0;
    };
    Pos next();
    Pos prev();
    Pos go_to(std::int64_t value);

private:
    const Stripe& stripe_;
    Pos pos_;
};

} // namespace volley::config
