#include "vu/vu_factory.hpp"

#include "util/error.hpp"

namespace volley::vu {

CompiledScript compile_script(const VuShared& shared, const std::string& entry_path,
                              boost::asio::io_context& io, metrics::SampleSink& sink, Yield yield) {
    VOLLEY_CHECK(shared.bundle == nullptr);
    auto builder = std::make_unique<script::BundleBuilder>(entry_path, shared.load);
    auto* b = builder.get();
    Vu vu(shared, 0, 0, io, sink, std::move(builder), yield);
    CompiledScript out;
    out.options_json = vu.exported_options_json();
    out.functions = vu.exported_functions();
    out.bundle = b->finish(out.options_json, out.functions);
    return out;
}

std::unique_ptr<Vu> make_vu(const VuShared& shared, std::uint64_t id, std::size_t worker,
                            boost::asio::io_context& io, metrics::SampleSink& sink, Yield yield) {
    VOLLEY_CHECK(shared.bundle != nullptr);
    return std::make_unique<Vu>(shared, id, worker, io, sink,
                                std::make_unique<script::BundleSource>(shared.bundle), yield);
}

} // namespace volley::vu
