
/* ---- volley additions, appended to the build's copy of quickjs.c (cmake/QuickJS.cmake) ----
   Objects built again and again with the same plain data properties (k6/http's responses)
   otherwise make QuickJS create every intermediate shape anew: a shape lives only as long as an
   object uses it. These two functions make such an object from a live template in one step. */

/* A new object with the shape (properties, prototype) and class of `template_obj`, every property
   value undefined. The template's properties must all be plain data properties. */
JSValue JS_NewObjectLike(JSContext* ctx, JSValueConst template_obj) {
    JSObject* t = JS_VALUE_GET_OBJ(template_obj);
    JSShape* sh = t->shape;
    JSValue obj;
    JSObject* p;
    int i;

    obj = JS_NewObjectFromShape(ctx, js_dup_shape(sh), t->class_id);
    if (JS_IsException(obj))
        return obj;
    p = JS_VALUE_GET_OBJ(obj);
    for (i = 0; i < sh->prop_count; i++)
        p->prop[i].u.value = JS_UNDEFINED;
    return obj;
}

/* Sets the value of own property number `index` (definition order) of an object made by
   JS_NewObjectLike, taking `val` and freeing the old value. */
void JS_SetObjectSlot(JSContext* ctx, JSValueConst obj, int index, JSValue val) {
    JSObject* p = JS_VALUE_GET_OBJ(obj);
    set_value(ctx, &p->prop[index].u.value, val);
}
