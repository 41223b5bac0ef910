#pragma once

// Objects with a fixed set of plain data properties, made again and again (k6/http's Response,
// its timings, request and ocsp objects): the first object is the template, kept alive so its
// QuickJS shape is too, and every later one is made from it in one step with its values set by
// index. Building such an object property by property costs a new QuickJS shape per property
// each time, since shapes die with the last object that uses them.
//
// Owned by one VU, used on its thread, destroyed before its runtime.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "quickjs.h"

#include "js/value.hpp"

extern "C" {
// In the build's copy of quickjs.c (cmake/quickjs_additions.c).
JSValue JS_NewObjectLike(JSContext* ctx, JSValueConst template_obj);
void JS_SetObjectSlot(JSContext* ctx, JSValueConst obj, int index, JSValue val);
}

namespace volley::js {

class ObjectTemplate {
public:
    ObjectTemplate() = default;

    // True once make() ran.
    bool ready() const { return !template_.is_undefined(); }

    // The template: an object of class `class_id` (0: a plain Object) with `names` as its
    // properties, in that order, all undefined.
    void make(JSContext* ctx, JSClassID class_id, std::initializer_list<std::string_view> names);
    // The same with the names of a list of (name, value) pairs (a plain Object).
    void make(JSContext* ctx, const std::vector<std::pair<std::string, std::string>>& fields);

    // A new object shaped as the template, every value undefined; set them with set().
    JSValue instantiate(JSContext* ctx) const { return JS_NewObjectLike(ctx, template_.get()); }

    // Sets property number `index` (the order of make()'s names) of an instantiated object,
    // taking `value`.
    static void set(JSContext* ctx, JSValueConst obj, int index, JSValue value) {
        JS_SetObjectSlot(ctx, obj, index, value);
    }

private:
    Value template_;
};

// String-valued objects whose names come from data that mostly repeats: the headers of one
// server's responses, in its order. The template of the last list of names is kept and used
// while the list repeats; another list replaces it. A list with a name twice (a header sent
// twice: the last value wins, as with plain definitions) is made property by property.
class RepeatingObjectTemplate {
public:
    using Fields = std::vector<std::pair<std::string, std::string>>;

    // A new plain object with each field's name set to its value as a JS string.
    JSValue make(JSContext* ctx, const Fields& fields);

private:
    bool same_names(const Fields& fields) const;

    std::vector<std::string> names_;
    ObjectTemplate template_;
};

} // namespace volley::js
