/*
 * codes.c - code lists. Categories follow the first two levels commonly
 * used by petition information systems; divisions are GB/T 2260 codes of
 * Heilongjiang (the province of seed 000) down to the counties of the
 * demo cities.
 */
#include "domain/codes.h"

#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* R22 art. 17 */
static const struct code channels[] = {
	{ "letter", "来信", NULL }, { "visit", "来访", NULL }, { "phone", "来电", NULL },
	{ "online", "网上信访", NULL }, { "fax", "传真", NULL },
};

/* R22 art. 29-31 */
static const struct code kinds[] = {
	{ "proposal", "建议意见", NULL },
	{ "accusation", "检举控告", NULL },
	{ "claim", "申诉求决", NULL },
};

static const struct code purposes[] = {
	{ "appeal", "申诉", NULL },   { "demand", "求决", NULL },   { "accuse", "揭发控告", NULL },
	{ "suggest", "意见建议", NULL }, { "consult", "咨询", NULL }, { "other", "其他", NULL },
};

static const struct code categories[] = {
	{ "01", "城乡建设", NULL },
	{ "0101", "住房保障与房地产", "01" },
	{ "0102", "城市管理", "01" },
	{ "0103", "物业管理", "01" },
	{ "0104", "拆迁安置", "01" },
	{ "02", "农村农业", NULL },
	{ "0201", "土地承包", "02" },
	{ "0202", "村务管理", "02" },
	{ "03", "劳动和社会保障", NULL },
	{ "0301", "劳动报酬（欠薪）", "03" },
	{ "0302", "社会保险", "03" },
	{ "0303", "劳动关系", "03" },
	{ "04", "自然资源", NULL },
	{ "0401", "土地征收", "04" },
	{ "0402", "矿产资源", "04" },
	{ "05", "生态环境", NULL },
	{ "0501", "噪声污染", "05" },
	{ "0502", "大气污染", "05" },
	{ "0503", "水污染", "05" },
	{ "06", "卫生健康", NULL },
	{ "0601", "医疗纠纷", "06" },
	{ "0602", "医疗保障", "06" },
	{ "07", "教育", NULL },
	{ "0701", "入学招生", "07" },
	{ "0702", "教育收费", "07" },
	{ "08", "交通运输", NULL },
	{ "0801", "道路建设", "08" },
	{ "0802", "公共交通", "08" },
	{ "09", "民政", NULL },
	{ "0901", "社会救助", "09" },
	{ "0902", "养老服务", "09" },
	{ "10", "政法", NULL },
	{ "1001", "公安执法", "10" },
	{ "1002", "涉法涉诉", "10" },
	{ "11", "纪检监察", NULL },
	{ "1101", "违反廉洁纪律", "11" },
	{ "1102", "工作作风", "11" },
	{ "12", "经济管理", NULL },
	{ "1201", "统计数据", "12" },
	{ "1202", "市场监管", "12" },
	{ "13", "其他", NULL },
};

/* RULES.md "Registration fields": the flags a registration may carry */
static const struct code flags[] = {
	{ "anonymous", "匿名", NULL },
	{ "urgent", "紧急", NULL },
	{ "threat", "扬言", NULL },
	{ "confidential", "涉密", NULL },
	{ "litigation", "涉法涉诉", NULL },
	{ "collective", "集体访/联名信", NULL },
	{ "skip_level", "越级", NULL },
	{ "to_beijing", "进京", NULL },
	{ "to_province", "赴省", NULL },
	{ "first_local", "初信初访（本级）", NULL },
	{ "first_national", "初信初访（全国）", NULL },
};

static const struct code id_types[] = {
	{ "resident_id", "居民身份证", NULL },
	{ "passport", "护照", NULL },
	{ "hk_macao_pass", "港澳居民来往内地通行证", NULL },
	{ "taiwan_pass", "台湾居民来往大陆通行证", NULL },
	{ "other", "其他证件", NULL },
};

static const struct code sexes[] = {
	{ "male", "男", NULL }, { "female", "女", NULL }, { "unknown", "未说明", NULL },
};

/* R22 art. 31: statutory routes a claim may be sent to */
static const struct code routes[] = {
	{ "litigation", "诉讼", NULL },
	{ "arbitration", "仲裁", NULL },
	{ "reconsideration", "行政复议", NULL },
	{ "party_appeal", "党员申诉", NULL },
	{ "administrative", "行政许可、行政处罚、行政裁决等程序", NULL },
	{ "discipline", "纪检监察机关", NULL },
	{ "other", "其他法定途径", NULL },
};

/* R22 art. 39: the three suggestions (三项建议) */
static const struct code suggestions[] = {
	{ "work", "改进工作建议", NULL },
	{ "policy", "完善政策建议", NULL },
	{ "accountability", "追究责任建议", NULL },
};

static const struct code divisions[] = {
	{ "230000", "黑龙江省", NULL },
	{ "230100", "哈尔滨市", "230000" },
	{ "230102", "道里区", "230100" },
	{ "230103", "南岗区", "230100" },
	{ "230104", "道外区", "230100" },
	{ "230108", "平房区", "230100" },
	{ "230109", "松北区", "230100" },
	{ "230110", "香坊区", "230100" },
	{ "230111", "呼兰区", "230100" },
	{ "230112", "阿城区", "230100" },
	{ "230113", "双城区", "230100" },
	{ "230123", "依兰县", "230100" },
	{ "230124", "方正县", "230100" },
	{ "230125", "宾县", "230100" },
	{ "230126", "巴彦县", "230100" },
	{ "230127", "木兰县", "230100" },
	{ "230128", "通河县", "230100" },
	{ "230129", "延寿县", "230100" },
	{ "230183", "尚志市", "230100" },
	{ "230184", "五常市", "230100" },
	{ "230200", "齐齐哈尔市", "230000" },
	{ "230202", "龙沙区", "230200" },
	{ "230203", "建华区", "230200" },
	{ "230204", "铁锋区", "230200" },
	{ "230205", "昂昂溪区", "230200" },
	{ "230206", "富拉尔基区", "230200" },
	{ "230207", "碾子山区", "230200" },
	{ "230208", "梅里斯达斡尔族区", "230200" },
	{ "230221", "龙江县", "230200" },
	{ "230223", "依安县", "230200" },
	{ "230224", "泰来县", "230200" },
	{ "230225", "甘南县", "230200" },
	{ "230227", "富裕县", "230200" },
	{ "230229", "克山县", "230200" },
	{ "230230", "克东县", "230200" },
	{ "230231", "拜泉县", "230200" },
	{ "230281", "讷河市", "230200" },
	{ "230300", "鸡西市", "230000" },
	{ "230400", "鹤岗市", "230000" },
	{ "230500", "双鸭山市", "230000" },
	{ "230600", "大庆市", "230000" },
	{ "230700", "伊春市", "230000" },
	{ "230800", "佳木斯市", "230000" },
	{ "230900", "七台河市", "230000" },
	{ "231000", "牡丹江市", "230000" },
	{ "231100", "黑河市", "230000" },
	{ "231200", "绥化市", "230000" },
	{ "232700", "大兴安岭地区", "230000" },
};

static const struct {
	const char *name;
	const struct code *list;
	int n;
} lists[CODES__COUNT] = {
	[CODES_CHANNEL] = { "channel", channels, N(channels) },
	[CODES_KIND] = { "kind", kinds, N(kinds) },
	[CODES_PURPOSE] = { "purpose", purposes, N(purposes) },
	[CODES_CATEGORY] = { "category", categories, N(categories) },
	[CODES_FLAG] = { "flag", flags, N(flags) },
	[CODES_ID_TYPE] = { "id_type", id_types, N(id_types) },
	[CODES_SEX] = { "sex", sexes, N(sexes) },
	[CODES_DIVISION] = { "division", divisions, N(divisions) },
	[CODES_ROUTE] = { "route", routes, N(routes) },
	[CODES_SUGGESTION] = { "suggestion", suggestions, N(suggestions) },
};

const struct code *codes_list(enum code_list which, int *n)
{
	*n = lists[which].n;
	return lists[which].list;
}

const char *codes_list_name(enum code_list which)
{
	return lists[which].name;
}

const struct code *codes_find(enum code_list which, const char *code)
{
	int i;

	if (!code || (unsigned)which >= CODES__COUNT)
		return NULL;
	for (i = 0; i < lists[which].n; i++)
		if (strcmp(lists[which].list[i].code, code) == 0)
			return &lists[which].list[i];
	return NULL;
}

int codes_flag_bit(const char *code)
{
	int i;

	for (i = 0; i < N(flags); i++)
		if (strcmp(flags[i].code, code) == 0)
			return i;
	return -1;
}
