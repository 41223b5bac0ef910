#pragma once

// The pieces of k6/http shared by its files (internal to modules/): the request as parsed from
// a script's arguments, and the JS classes k6/http hands out (cookie jars, expectedStatuses,
// http.file, http.url). See k6-behaviour.md §6 for the behaviours.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quickjs.h"

#include "metrics/tags.hpp"
#include "net/cookie_jar.hpp"
#include "net/http_client.hpp"

namespace volley::modules {
class VuApi;
}

namespace volley::modules::http {

// k6's expectedStatuses: exact codes and inclusive ranges.
struct ExpectedStatuses {
    std::vector<int> exact;
    std::vector<std::pair<int, int>> ranges;
    bool match(int status) const;
};

enum class ResponseType { kText, kBinary, kNone };

// A params.cookies entry.
struct RequestCookie {
    std::string name;
    std::string value;
    bool replace = false;
};

// One request as k6's parseRequest leaves it.
struct ParsedRequest {
    net::HttpRequest wire; // method, URL, Host, User-Agent, headers, body
    std::string url;       // the URL as given (res.url until a redirect)
    std::string name;      // http.url's template name, "" when not from http.url
    metrics::TagMap tags;  // params.tags
    std::chrono::milliseconds timeout{60'000};
    std::int64_t redirects = 10;
    bool redirects_set = false; // params.redirects or the maxRedirects option was given
    ResponseType response_type = ResponseType::kText;
    const ExpectedStatuses* expected = nullptr;             // the response callback; null = none
    std::shared_ptr<const ExpectedStatuses> expected_owner; // keeps a params one alive
    net::CookieJar* jar = nullptr;                          // the VU's jar unless params.jar
    std::shared_ptr<net::CookieJar> jar_owner;              // keeps params.jar's jar alive
    std::vector<RequestCookie> cookies;
    std::vector<std::string> compressions; // params.compression, in order
    bool throw_errors = false;
    // asyncRequest: the VU's tags when it was made (k6 tags a request when it parses it, and
    // the script's group may change before it ends); null: the VU's tags when it ends.
    std::shared_ptr<const metrics::TagMap> vu_tags;
};

// A parse failure: k6's text and error_code (1020 for a bad URL, else 0).
struct ParseFailure {
    std::string message;
    int code = 0;
};

// --- JS classes (http_classes.cpp); all registered per runtime by register_http_classes ---

void register_http_classes(JSRuntime* rt);
// Sets up the prototypes in a new context (once, at module init).
void setup_http_protos(JSContext* ctx);

// A CookieJar object for `jar`; `owned` jars are deleted with the object.
JSValue new_cookie_jar_object(JSContext* ctx, net::CookieJar* jar, bool owned);
// The jar behind a CookieJar object, or nullptr.
net::CookieJar* cookie_jar_of(JSValueConst v);
// The same, shared: it stays alive while held, even once the object is collected.
std::shared_ptr<net::CookieJar> cookie_jar_owner(JSValueConst v);

JSValue new_expected_statuses_object(JSContext* ctx, std::shared_ptr<ExpectedStatuses> e);
std::shared_ptr<const ExpectedStatuses> expected_statuses_of(JSValueConst v);

// http.file(data, filename, contentType)
struct FileData {
    std::string data;
    std::string filename;
    std::string content_type;
};
JSValue new_file_object(JSContext* ctx, FileData file, JSValueConst data);
const FileData* file_of(JSValueConst v);

// http.url`...`: the URL and its template name.
struct TemplateUrl {
    std::string url;
    std::string name;
};
JSValue new_url_object(JSContext* ctx, TemplateUrl u, const std::string& clean);
const TemplateUrl* url_of(JSValueConst v);

// The response callback a request gets unless its params name one: http.setResponseCallback's,
// else k6's default expectedStatuses({min: 200, max: 399}).
std::shared_ptr<const ExpectedStatuses> default_response_callback(VuApi& vu);

// Appends `item` (taken) to the array property `name` of `obj`, creating the array first: the
// `name → [values]` shape of k6's cookie maps.
void push_to_list(JSContext* ctx, JSValueConst obj, const std::string& name, JSValue item);

// The Response prototype (json(), html(), ...), set on every response object.
JSValue response_proto(JSContext* ctx);

} // namespace volley::modules::http
