// k6's REST API answers (api/v1/status_routes.go), byte for byte as k6 v1.6.1 gave them.

#include <gtest/gtest.h>

#include "app/rest_api.hpp"

namespace volley::app {
namespace {

class FakeControl : public RestControl {
public:
    RestStatus status() override { return s; }
    std::string set_paused(bool pause) override {
        if (pause) {
            return "execution is already paused";
        }
        s.paused = false;
        return "";
    }
    void stop() override { s.stopped = true; }
    RestStatus s{4, true, 0, 2, false, false, false};
};

const char* kPaused = R"({"data":{"type":"status","id":"default","attributes":{"status":4,)"
                      R"("paused":true,"vus":0,"vus-max":2,"stopped":false,"running":false,)"
                      R"("tainted":false}}})";

TEST(RestApi, GetStatusIsK6sDocument) {
    FakeControl c;
    auto r = handle_rest_request(c, "GET", "/v1/status", "");
    EXPECT_EQ(r.code, 200);
    EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
    EXPECT_EQ(r.body, kPaused);
}

TEST(RestApi, PatchStartsAndStops) {
    FakeControl c;
    auto r = handle_rest_request(
        c, "PATCH", "/v1/status",
        R"({"data":{"attributes":{"paused":false,"stopped":false},"id":"default","type":"status"}})");
    EXPECT_EQ(r.code, 200);
    EXPECT_FALSE(c.s.paused);
    r = handle_rest_request(c, "PATCH", "/v1/status",
                            R"({"data":{"attributes":{"stopped":true}}})");
    EXPECT_EQ(r.code, 200);
    EXPECT_TRUE(c.s.stopped);
    EXPECT_NE(r.body.find(R"("stopped":true)"), std::string::npos);
}

TEST(RestApi, BadPatchesGetK6sErrors) {
    FakeControl c;
    auto error = [&](const std::string& body) {
        auto r = handle_rest_request(c, "PATCH", "/v1/status", body);
        return std::to_string(r.code) + " " + r.body;
    };
    EXPECT_EQ(error("{bad"),
              R"(400 {"errors":[{"status":"400","title":"Invalid data","detail":)"
              R"("invalid character 'b' looking for beginning of object key string"}]})");
    EXPECT_EQ(error(""), R"(400 {"errors":[{"status":"400","title":"Invalid data","detail":)"
                         R"("unexpected end of JSON input"}]})");
    EXPECT_EQ(error("[]"),
              R"(400 {"errors":[{"status":"400","title":"Invalid data","detail":)"
              R"("json: cannot unmarshal array into Go value of type v1.StatusJSONAPI"}]})");
    EXPECT_EQ(error(R"({"data":[]})"),
              R"(400 {"errors":[{"status":"400","title":"Invalid data","detail":)"
              R"("json: cannot unmarshal array into Go struct field StatusJSONAPI.data of type )"
              R"(v1.statusData"}]})");
    EXPECT_EQ(error(R"({"data":{"attributes":{"paused":"yes"}}})"),
              R"(400 {"errors":[{"status":"400","title":"Invalid data","detail":)"
              R"("json: cannot unmarshal string into Go value of type null.Bool"}]})");
    EXPECT_EQ(error(R"({"data":{"attributes":{"stopped":1}}})"),
              R"(400 {"errors":[{"status":"400","title":"Invalid data","detail":)"
              R"("json: cannot unmarshal number into Go struct field )"
              R"(Status.data.attributes.stopped of type bool"}]})");
    EXPECT_EQ(error(R"({"data":{"attributes":{"paused":true}}})"),
              R"(500 {"errors":[{"status":"500","title":"Pause error","detail":)"
              R"("execution is already paused"}]})");
    EXPECT_EQ(error(R"({"data":{"attributes":{"vus":3}}})"),
              R"(500 {"errors":[{"status":"500","title":"Execution config error","detail":)"
              R"("an externally-controlled executor needs to be configured for live )"
              R"(configuration updates"}]})");
    // Unknown fields and nulls are ignored, as Go's json.Unmarshal does.
    EXPECT_EQ(error(R"({"data":{"attributes":{"foo":1,"paused":null}},"x":[]})"),
              std::string("200 ") + kPaused);
}

TEST(RestApi, OtherRoutesAndMethods) {
    FakeControl c;
    auto r = handle_rest_request(c, "POST", "/v1/status", "");
    EXPECT_EQ(r.code, 405);
    EXPECT_EQ(r.body, "");
    r = handle_rest_request(c, "GET", "/v1/nothing", "");
    EXPECT_EQ(r.code, 404);
    EXPECT_EQ(r.body, "404 page not found\n");
    EXPECT_TRUE(r.nosniff);
    r = handle_rest_request(c, "GET", "/", "");
    EXPECT_EQ(r.body, "ok");
}

} // namespace
} // namespace volley::app
