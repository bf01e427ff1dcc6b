#include "service/input.h"

#include <string.h>

#include "base/utf8.h"

int input_only(json_t *obj, const char *const *allowed, const char *where, struct xerr *err)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return xerr_set(err, 400, "validation.type", where, "%s 必须是 JSON 对象", where);
	json_object_foreach(obj, key, v)
	{
		const char *const *a;

		(void)v;
		for (a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				break;
		if (!*a)
			return xerr_set(err, 400, "validation.unknown_field", key,
					"不认识的字段“%.40s”", key);
	}
	return 0;
}

size_t input_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int input_str(json_t *obj, const char *key, int required, size_t max, const char **out,
	      struct xerr *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return xerr_set(err, 400, "validation.required", key, "缺少必填项“%s”", key);
		return 0;
	}
	if (!json_is_string(v))
		return xerr_set(err, 400, "validation.type", key, "“%s”必须是文本", key);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return xerr_set(err, 400, "validation.invalid", key, "“%s”含有非法字符", key);
	if (required && utf8_blank(json_string_value(v)))
		return xerr_set(err, 400, "validation.required", key, "“%s”不能为空", key);
	if (input_chars(json_string_value(v)) > max)
		return xerr_set(err, 400, "validation.too_long", key, "“%s”不能超过%zu个字", key, max);
	*out = json_string_value(v);
	return 0;
}

int input_int(json_t *obj, const char *key, int required, int64_t min, int64_t max,
	      int64_t *out, struct xerr *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v)) {
		if (required)
			return xerr_set(err, 400, "validation.required", key, "缺少必填项“%s”", key);
		return 0;
	}
	if (!json_is_integer(v))
		return xerr_set(err, 400, "validation.type", key, "“%s”必须是整数", key);
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return xerr_set(err, 400, "validation.invalid", key, "“%s”须在%lld至%lld之间", key,
				(long long)min, (long long)max);
	*out = json_integer_value(v);
	return 0;
}

int input_bool(json_t *obj, const char *key, int *out, struct xerr *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return xerr_set(err, 400, "validation.type", key, "“%s”必须是 true 或 false", key);
	*out = json_is_true(v);
	return 0;
}

int input_code(json_t *obj, const char *key, int required, enum code_list list,
	       const char **out, struct xerr *err)
{
	if (input_str(obj, key, required, 32, out, err))
		return -1;
	if (*out && !codes_find(list, *out))
		return xerr_set(err, 422, "validation.unknown_code", key, "“%s”的代码“%.32s”不存在",
				key, *out);
	return 0;
}

int input_resident_id_ok(const char *s)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char check[] = "10X98765432";
	int i, sum = 0;

	if (!s || strlen(s) != 18)
		return 0;
	for (i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		sum += (s[i] - '0') * w[i];
	}
	return s[17] == check[sum % 11] || (check[sum % 11] == 'X' && s[17] == 'x');
}

int input_phone_ok(const char *s)
{
	size_t n = strlen(s), digits = 0, i;

	if (n < 7 || n > 20)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] != '+' && s[i] != '-' && s[i] != ' ')
			return 0;
	}
	return digits >= 7;
}

int input_case_no_ok(const char *s)
{
	int i;

	if (!s || strlen(s) != 15 || s[0] != 'X' || s[1] != 'F')
		return 0;
	for (i = 2; i < 15; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}
