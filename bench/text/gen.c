/*
 * gen.c - synthetic petitions with ground truth (gen.h).
 */
#include "gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define DAY 86400
#define MAXS 24 /* sentences in one petition, title included */

/* ---- PRNG (splitmix64) ---------------------------------------------------------- */

uint64_t gen_next(struct gen_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int rnd(struct gen_rng *r, int n)
{
	return n <= 1 ? 0 : (int)(gen_next(r) % (uint64_t)n);
}

static int between(struct gen_rng *r, int lo, int hi)
{
	return hi <= lo ? lo : lo + rnd(r, hi - lo + 1);
}

static int chance(struct gen_rng *r, int per_mille)
{
	return rnd(r, 1000) < per_mille;
}

#define PICK(r, a) ((a)[rnd((r), N_OF(a))])

/* ---- names -------------------------------------------------------------------------- */

/* characters that make plausible names of estates, companies, roads, villages */
static const char *const namechars[] = {
	"锦", "华", "阳", "光", "和", "平", "幸", "福", "康", "安", "明", "珠", "丽", "水", "滨", "江",
	"泰", "嘉", "书", "香", "枫", "翠", "湖", "金", "绿", "城", "御", "景", "天", "誉", "龙", "府",
	"瑞", "盛", "世", "碧", "蓝", "湾", "春", "紫", "荆", "丰", "泽", "恒", "达", "利", "中", "海",
	"融", "润", "鲁", "远", "洋", "东", "方", "银", "河", "桥", "凤", "凰", "梧", "桐", "棠", "玉",
	"兰", "长", "青", "松", "鑫", "宏", "图", "文", "兴", "隆", "永", "太", "祥", "富", "秀", "朝",
	"霞", "宝", "德", "新", "家", "园", "林", "山", "峰", "星", "辰", "源", "泉", "汇", "通", "顺",
};
static const char *const estate_sfx[] = { "小区", "花园", "家园", "新城", "嘉园", "名苑", "雅苑", "华府",
					  "公馆", "佳园", "丽都", "御府", "小区二期", "花园三期", "新村", "苑" };
static const char *const co_sfx[] = { "建筑劳务有限公司", "建设工程有限公司", "商贸有限公司", "机械制造有限公司",
				      "建材有限公司", "农业科技有限公司", "食品有限公司", "物流有限公司",
				      "房地产开发有限公司", "置业有限公司", "装饰工程有限公司", "环保科技有限公司",
				      "电子科技有限公司", "纺织有限公司", "劳务派遣有限公司", "餐饮管理有限公司" };
static const char *const mix_sfx[] = { "混凝土有限公司", "商品混凝土有限公司", "建材搅拌站", "沥青搅拌站" };
static const char *const plant_sfx[] = { "食品加工厂", "淀粉厂", "酒厂", "化工厂", "畜产品加工厂", "造纸厂",
					 "塑料制品厂", "砖厂", "养殖场", "木材加工厂" };
static const char *const road_sfx[] = { "路", "街", "大街", "大道", "北路", "南路", "东路", "西路" };
static const char *const school_sfx[] = { "小学", "中学", "实验学校", "第二中学", "幼儿园", "职业中专" };
static const char *const hosp_sfx[] = { "医院", "中医院", "妇幼保健院", "骨科医院", "人民医院", "社区卫生服务中心" };
static const char *const shop_sfx[] = { "烧烤店", "KTV", "酒吧", "饭店", "农贸市场", "洗车店", "麻将馆", "健身房" };
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭",
	"马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许", "傅", "沈",
	"彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "潘", "杜", "戴", "夏", "田", "姜",
	"范", "方", "石", "姚", "谭", "邹", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "秦", "史", "顾", "侯",
};
static const char *const given[] = {
	"建国", "志强", "国庆", "海涛", "立新", "永刚", "振华", "德胜", "宝山", "长林", "春生", "玉林", "树林",
	"庆丰", "洪涛", "晓东", "鹏", "磊", "勇", "伟", "文博", "浩然", "明远", "俊杰", "铁军", "连生", "福贵",
	"金财", "凤山", "国栋", "广志", "学军", "忠义", "景春", "殿臣", "守仁", "亚光", "东升", "成林", "秀兰",
	"桂芝", "玉珍", "淑华", "凤霞", "丽娟", "春梅", "红梅", "艳华", "海燕", "静", "敏", "丹", "颖", "婷",
	"晓雪", "雪梅", "玉兰", "淑芬", "秀英", "佳琪", "欣怡", "梦瑶", "雨桐", "慧敏", "美玲", "凤琴", "翠华",
	"金凤", "丽华", "桂荣", "素芹", "冬梅", "晓燕", "立红", "玉梅", "春燕", "艳秋", "亚茹", "月华",
};
static const char *const jobs[] = { "木工", "钢筋工", "瓦工", "水电工", "架子工", "小工", "电焊工", "班组长" };

/* divisions (codes.c) with the name a petitioner writes */
static const struct div {
	const char *code, *name, *city;
	int rural;
} divs[] = {
	{ "230102", "道里区", "哈尔滨市", 0 },    { "230103", "南岗区", "哈尔滨市", 0 },
	{ "230104", "道外区", "哈尔滨市", 0 },    { "230108", "平房区", "哈尔滨市", 0 },
	{ "230109", "松北区", "哈尔滨市", 0 },    { "230110", "香坊区", "哈尔滨市", 0 },
	{ "230111", "呼兰区", "哈尔滨市", 1 },    { "230112", "阿城区", "哈尔滨市", 1 },
	{ "230113", "双城区", "哈尔滨市", 1 },    { "230123", "依兰县", "哈尔滨市", 1 },
	{ "230124", "方正县", "哈尔滨市", 1 },    { "230125", "宾县", "哈尔滨市", 1 },
	{ "230126", "巴彦县", "哈尔滨市", 1 },    { "230127", "木兰县", "哈尔滨市", 1 },
	{ "230183", "尚志市", "哈尔滨市", 1 },    { "230184", "五常市", "哈尔滨市", 1 },
	{ "230202", "龙沙区", "齐齐哈尔市", 0 },  { "230203", "建华区", "齐齐哈尔市", 0 },
	{ "230204", "铁锋区", "齐齐哈尔市", 0 },  { "230206", "富拉尔基区", "齐齐哈尔市", 0 },
	{ "230221", "龙江县", "齐齐哈尔市", 1 },  { "230223", "依安县", "齐齐哈尔市", 1 },
	{ "230224", "泰来县", "齐齐哈尔市", 1 },  { "230281", "讷河市", "齐齐哈尔市", 1 },
	{ "230300", "鸡西市", "鸡西市", 0 },      { "230400", "鹤岗市", "鹤岗市", 0 },
	{ "230500", "双鸭山市", "双鸭山市", 0 },  { "230600", "大庆市", "大庆市", 0 },
	{ "230700", "伊春市", "伊春市", 0 },      { "230800", "佳木斯市", "佳木斯市", 0 },
	{ "230900", "七台河市", "七台河市", 0 },  { "231000", "牡丹江市", "牡丹江市", 0 },
	{ "231100", "黑河市", "黑河市", 0 },      { "231200", "绥化市", "绥化市", 0 },
};

const char *const gen_channels[8] = { "letter", "visit", "visit", "phone", "online", "online", "online", "fax" };

/* ---- topics ----------------------------------------------------------------------------
 * Pools: t titles, o openings (who writes), f facts, d details, r requests.
 * Slots {x}: the matter's values (dist city xq co mix plant road vil town site
 * school hosp shop bureau bus money n months ym mon fee1 fee2 fee3 park mu price
 * area year grade sur) and the writer's (who bld years mymoney job age); {prev}
 * is the date of the writer's previous petition (repeats only). [a|b|c]: one
 * of the alternatives, chosen per writer and sentence (an edit may choose
 * again), so that two people seldom write the same sentence word for word.
 */
#define P(...) { __VA_ARGS__, NULL }
struct topic {
	const char *name, *category, *kind, *purpose;
	int rural; /* speaks of villages */
	const char *t[8], *o[8], *f[12], *d[8], *r[6];
};

static const struct topic topics[] = {
	{ "拖欠工资", "0301", "claim", "demand", 0,
	  P("{co}拖欠[农民工|工人|我们]工资[|的问题]", "[反映|关于]{site}[项目|工地]拖欠工资[问题|的情况]",
	    "{co}拖欠{n}名[工人|农民工|员工]工资{months}个月", "[请求|恳请]帮助[讨要|追讨]{site}工地欠薪",
	    "{dist}{site}[工地|项目]欠薪[问题|求助]"),
	  P("我叫{who}，是{site}[项目|工地]的{job}[|，老家在外地]。", "我们是在{dist}{site}[工地|项目上]干活的[农民工|工人]，我是[代表|带头的]{who}。",
	    "本人{who}，{ym}[起|开始]在{co}[承包|负责]的{site}[项目|工程]务工。", "我是{co}的[员工|职工|工人]{who}，在[公司|厂里]干了{years}年。",
	    "我是{site}工地的{job}{who}，[和|代表]{n}个工友[一起|]向领导反映[情况|问题]。"),
	  P("从{ym}[开始|起]，[公司|老板|包工头]就以[工程款没有到位|甲方没给钱|资金紧张]为由拖欠[我们|工人]的工资，[到现在|至今]已经{months}个月[没发了|没有发]。",
	    "{co}[共|一共|总共]拖欠[我们|工人们]{n}[名|个][工人|工友]的工资{money}元，其中[欠我个人|我自己的]{mymoney}元。",
	    "[工程|房子]主体[早就|去年就]完工了，包工头[一直|总是]说开发商没给钱，让我们[再等等|等消息|回家等]。",
	    "我们[多次|好几次|三番五次]到[项目部|公司|工地办公室][讨要|要钱|去找]，对方不是推说[负责人|老板]出差，就是让我们等到[年底|下个月|工程结算]。",
	    "[总包单位|总包|建设方]说工程款已经[拨付|拨]给[分包单位|劳务公司]，[分包单位|劳务公司]又说没收到，两边[互相推诿|踢皮球]。",
	    "[公司|劳务公司]老板现在电话[不接|打不通]、微信不回，项目部也[已经撤场了|人去楼空]。",
	    "[去年|上次]年底公司[承诺|答应]春节前结清，结果只发了[一半|三分之一|一小部分]，剩下的[至今|到现在]没有着落。",
	    "我们干的是{site}的[主体|装修|钢筋|水电][和|还有][二次结构|收尾]，活干完了工钱[却一分没拿到|只拿到生活费]。"),
	  P("我们手里有[考勤表|记工本]、工友签字的工资明细和[劳务合同|欠条]。",
	    "工友们大多是[外地|外省|农村]来的，家里[老人看病|孩子上学|盖房子]都等着这笔钱。",
	    "天[越来越冷|快过年]了，有的工友连回家的[路费|车票钱]都没有了。",
	    "我们也去[劳动监察大队|人社局|劳动仲裁]反映过，登记之后[一直没有回音|就没有下文了]。",
	    "包工头姓{sur}，是{co}的[老板|经理]介绍来的。"),
	  P("[请求|恳请]有关部门责令{co}[尽快|立即]足额支付拖欠的工资。",
	    "恳请政府帮我们讨回[血汗钱|工钱]，依法查处恶意欠薪[行为|的老板]。",
	    "希望劳动监察部门[介入调查|尽快处理]，督促[总包单位|建设单位]先行清偿工资。") },

	{ "物业收费", "0103", "claim", "demand", 0,
	  P("{xq}物业公司擅自[上调|提高]物业费", "[反映|投诉]{xq}物业违规收费[问题|]", "{dist}{xq}物业乱收[停车费|电梯费]",
	    "[投诉|反映]{xq}物业服务差还涨价", "{xq}物业不交费就[停|注销]门禁卡"),
	  P("我是{dist}{xq}的业主{who}[|，家住{bld}]。", "我家住{dist}{xq}{bld}，[入住|住进来]已经{years}年[|了]。",
	    "我们是{xq}的[部分|一些]业主，我是业主代表{who}。", "本人{who}，{xq}{bld}[业主|住户]。"),
	  P("[今年|最近]{mon}月物业公司在[楼道|电梯|单元门]里贴出通知，物业费从每平方米{fee1}元[涨到|上调到|提高到]{fee2}元。",
	    "物业公司[另外|还]要求每户每月交{fee3}元[电梯运行费|电梯费|公摊费]，地面[停车位|车位]每月收{park}元[管理费|停车费]。",
	    "[涨价|调价]之前[没有|从来没]召开[业主大会|业主会议]，也没有公示[成本测算|收费依据|账目]。",
	    "我们去物业[问|要]收费依据，物业经理说是[公司决定的|上面定的]，不交就不给开门禁卡。",
	    "已经有[几户|好几户|十几户]邻居因为没交费[门禁卡被注销了|被停了门禁]。",
	    "物业服务这[两年|几年]越来越差，楼道灯坏了[半年|好几个月]没人修，垃圾[几天|一周]不清运。",
	    "小区电梯[经常|三天两头]停运，上个月还发生了[困人事故|困人的事]。",
	    "物业把小区[公共绿地|消防通道|空地]改成停车位出租，[收益|收的钱]去向不明。"),
	  P("业委会至今没有成立，业主的意见[没有地方反映|没人管]。", "我们向[街道|社区|住建局]反映过，[对方|社区]说物业收费不归他们管。",
	    "小区一共{n}栋楼，[大部分|绝大多数]业主都不同意涨价。", "物业公司的合同{year}年就到期了，一直没有重新[选聘|招标]。"),
	  P("[请求|恳请]查处物业公司擅自涨价和违规收费行为，退还多收的费用。",
	    "希望住建部门督促物业公司[按合同收费|规范收费]，公开公共收益账目。",
	    "请有关部门指导小区成立业主委员会，依法[选聘|更换]物业。") },

	{ "噪声扰民", "0501", "claim", "demand", 0,
	  P("{road}{shop}[深夜|夜间]噪音扰民", "{xq}楼下{shop}噪声扰民[严重|]", "[反映|投诉]{road}夜市烧烤油烟噪声问题",
	    "投诉{xq}附近{shop}营业到凌晨", "{dist}{road}商户噪音扰民"),
	  P("我家住{dist}{road}{xq}{bld}。", "我是{xq}的[住户|居民]{who}，家就在{shop}[楼上|对面]。",
	    "本人{who}，住在{dist}{xq}，今年{age}岁。", "我们是{road}沿街{xq}的居民，我叫{who}。"),
	  P("楼下的{shop}每天晚上营业到凌晨[两三点|三四点]，[音响声|唱歌声]、喝酒划拳声吵得我们[根本睡不着|整夜无法入睡]。",
	    "[傍晚|天一黑]开始{shop}就把桌椅摆到[人行道|马路边]上，油烟直接往楼上[窜|飘]，[夏天|一年四季]都不敢开窗。",
	    "我们打过[12345|110|市长热线]，[城管|派出所|街道]来过几次，人一走又恢复原样。",
	    "{shop}的[空调外机|排风扇|鼓风机]就装在居民窗户下面，[日夜|一天到晚]轰鸣。",
	    "晚上十点以后噪声还有[七八十|六七十]分贝，家里老人有[心脏病|高血压]，孩子要[中考|高考]。",
	    "人行道被占满了，行人只能走[机动车道|马路中间]，很危险。", "[摊贩|客人]走后满地垃圾和油污，第二天早上才有人扫。",
	    "{shop}是{year}年开的，从那以后小区就[再没有安静过|没有消停过]。"),
	  P("我们已经[连续|整整]{months}个月睡不好觉，白天上班[精神恍惚|没有精神]。", "小区里有[几十户|很多]居民联名签字反映过这个问题。",
	    "我们自己用手机测过，半夜噪声经常超过[六十|五十五]分贝。", "{shop}老板说他们有营业执照，谁也管不了。"),
	  P("请求有关部门依法查处噪声扰民，限定{shop}的营业时间。", "希望[城管和环保部门|相关部门]联合执法，还居民一个安静的[休息环境|生活环境]。",
	    "恳请责令{shop}[整改|停业整顿]或者搬离居民楼。") },

	{ "搅拌站污染", "0502", "claim", "demand", 0,
	  P("{xq}附近[建|新建]搅拌站[粉尘|灰尘]噪音污染严重", "投诉{mix}扰民", "{dist}{xq}旁边搅拌站违规生产",
	    "反映{road}搅拌站灰尘噪音问题", "坚决反对在{xq}附近建设搅拌站"),
	  P("我是{dist}{xq}的一名业主。", "我家住{xq}{bld}，离搅拌站只有[一百多米|几十米|不到两百米]。", "本人{who}，是{xq}的[居民|业主]。",
	    "我们是{road}附近[几个|两个]小区的居民，我是{xq}的业主{who}。"),
	  P("{mix}在离小区不到{area}米的地方建了一座搅拌站，每天从早上[六点|五点]一直干到晚上[八点|十点]。",
	    "搅拌站设备运转的[嗡鸣声|轰鸣声]和[运输车辆|水泥罐车]的[噪声|喇叭声]从早到晚不停。",
	    "灰尘非常大，[窗台|阳台]上每天都落一层，衣服都不敢晒在外面。",
	    "搅拌站建设前没有征求过周边[业主|居民]的意见，也没有看到[环评公示|任何公示]。",
	    "大型水泥罐车[夜里|半夜]也在{road}上来回跑，路面被压坏了好几处。",
	    "听说这个搅拌站是从别的地方搬过来的，没有[办齐手续|环评手续]就开工了。",
	    "下雨天搅拌站的[污水|泥浆]直接排到路边的[排水沟|下水道]里。", "小区里有很多老人和小孩，粉尘对身体危害很大。"),
	  P("我们向[街道|环保部门|12345]反映过多次，答复说正在调查处理。", "附近还有一所{school}，孩子们上下学都要经过搅拌站门口。",
	    "业主们自费请人测过，PM10[严重超标|超标好几倍]。", "搅拌站的围挡很低，粉尘根本挡不住。"),
	  P("请求有关部门核查搅拌站的审批手续，依法责令停产。", "恳请政府责令{mix}搬迁，还我们一个[干净|健康]的生活环境。",
	    "希望环保部门对搅拌站的粉尘和噪声进行监测并公开结果。") },

	{ "工厂排污", "0503", "claim", "demand", 1,
	  P("{vil}附近{plant}偷排污水", "反映{town}{plant}异味扰民", "{plant}污染河水", "举报{plant}夜间偷排",
	    "{dist}{plant}废气污染严重"),
	  P("我是{town}{vil}村民{who}。", "我家住在{plant}旁边，离厂区不到{area}米。", "本人{who}，{dist}{xq}居民。",
	    "我们是{vil}的村民，我是代表{who}。"),
	  P("{plant}每天[夜里|半夜]把污水直接排进村边的[小河|水沟]，河水都变成了[黑色|黄色]。", "厂里排出的废气有很重的[臭味|酸味]，晚上根本不敢开窗。",
	    "河里的鱼[大片|成片]死亡，村民浇地的水也不能用了。", "工厂白天停产应付检查，晚上[偷偷|照常]开工。",
	    "厂区堆放的[废料|废渣]下雨后流到了农田里。", "村里的井水有了异味，很多人家只能买桶装水喝。",
	    "{plant}是{year}年建的，当时说是[无污染项目|环保企业]。"),
	  P("我们拍了排污口的[视频和照片|照片]。", "环保部门来检查过一次，厂里提前得到消息停了产。",
	    "村里这几年得病的人越来越多，大家都很担心。"),
	  P("请求环保部门查处{plant}违法排污行为。", "恳请责令{plant}停产整改，赔偿村民损失。", "希望对河水和井水进行检测并公开结果。") },

	{ "拆迁补偿", "0104", "claim", "appeal", 1,
	  P("{town}{vil}房屋征收补偿不合理", "反映{dist}{road}拆迁补偿款[未到位|迟迟不付]", "{vil}征收补偿标准不公",
	    "被强拆后补偿至今未落实", "关于{road}棚户区改造补偿的问题"),
	  P("我叫{who}，是{dist}{town}{vil}村民。", "本人{who}，原住{dist}{road}，{year}年房屋被征收。",
	    "我是{vil}的被征收户{who}，家里{n}口人。", "我们是{road}[棚改|拆迁]片区的居民，我是{who}。"),
	  P("我家房屋面积{area}平方米，评估价格只有每平方米{price}元，远低于[周边市场价|周边的房价]。",
	    "{year}年签订了补偿协议，约定{months}个月内支付补偿款，到现在还有{money}元[没有付|没给]。",
	    "征收时说好给安置房，可是安置房至今[没有开工|还是一片空地]。", "同一排的房子，有的人家补偿比我们[多出一倍|多很多]，标准不公开。",
	    "拆迁公司在我们不在家的时候把房子[推倒了|拆了]，家里的东西都没有搬出来。",
	    "过渡费只发了[半年|一年]就停了，我们一家只能租房住。", "村里的土地补偿款分配不公开，村干部的亲戚拿得多。",
	    "评估公司是开发商找的，评估报告也没有给我们看。"),
	  P("我们去[街道|征收办|镇政府]问过很多次，每次都说领导在研究。", "家里老人已经{age}岁了，一直在外面租房，身体越来越差。",
	    "我们有征收协议和评估报告的复印件。", "听说同片区的{sur}家私下多给了补偿。"),
	  P("请求按照征收补偿方案足额支付补偿款和过渡费。", "恳请公开补偿标准和评估依据，重新评估。",
	    "希望政府依法处理强拆行为，赔偿我们的损失。") },

	{ "办证难", "0101", "claim", "demand", 0,
	  P("{xq}交房{years}年办不了房产证", "反映{xq}开发商拖延办理不动产证", "{dist}{xq}业主办证难",
	    "投诉{co}延期交房", "{xq}车位捆绑销售问题"),
	  P("我是{xq}的业主{who}。", "我们是{dist}{xq}的购房者，我是{who}。", "本人{who}，{year}年在{xq}购买了一套住房。",
	    "我家在{xq}{bld}，入住已经{years}年。"),
	  P("购房合同约定交房后{months}个月内办理产权证，现在已经过去{years}年了还没有办下来。",
	    "开发商{co}说是因为土地出让金没有交清，不动产登记中心不给办。", "我们的房子不能落户，孩子上学都成了问题。",
	    "开发商要求购房者必须以{money}元购买一个车位，不买就不给网签。",
	    "交房时间一拖再拖，合同约定{year}年交房，到现在还没交。", "小区的规划被开发商擅自改了，原来的绿地变成了商铺。",
	    "开发商收了我们的契税和维修基金，却一直没有交到相关部门。", "售楼时承诺的[学区|配套|幼儿园]都没有兑现。"),
	  P("全小区{n}户业主都面临同样的问题。", "我们多次找开发商，对方一直说正在办理。",
	    "我们去不动产登记中心问过，说开发商的资料不全。", "现在开发商的售楼处已经关门了，找不到人。"),
	  P("请求有关部门督促开发商尽快为业主办理不动产权证。", "恳请查处开发商捆绑销售和违规收费行为。",
	    "希望政府协调解决办证问题，保障购房者的合法权益。") },

	{ "土地承包", "0201", "claim", "demand", 1,
	  P("{vil}土地承包合同纠纷", "反映{town}{vil}村委会违规发包土地", "{vil}承包地被占用", "{vil}土地确权有误",
	    "关于{vil}机动地发包的问题"),
	  P("我是{dist}{town}{vil}村民{who}。", "本人{who}，{vil}村民，家里{n}口人。", "我们是{vil}的{n}户村民，我是代表{who}。",
	    "我叫{who}，今年{age}岁，是{town}{vil}的农民。"),
	  P("我家承包的{mu}亩地在确权时被登记到了别人名下。",
	    "村委会在没有召开村民代表大会的情况下，把村里{mu}亩机动地承包给了外村人。",
	    "{year}年村里修路占了我家{mu}亩地，至今没有给补偿。", "承包费每亩{price}元，比周边村低很多，钱也没有入村集体账。",
	    "村干部的亲属占用了我家的承包地[种树|盖房|建大棚]，我们去说理还被打了。", "第二轮承包时我家分了{mu}亩地，现在只剩下一半。",
	    "土地流转给{co}以后，每年的流转费一直拖欠。", "村里的账目好几年没有公开，村民不知道土地收入去了哪里。"),
	  P("我们向镇政府反映过，镇里说让村里自己协商。", "村民们手里有当年的承包合同和地块图。", "这块地是我们全家的口粮田。",
	    "我们找过镇经管站，经管站说要等上级文件。"),
	  P("请求核实土地确权信息，纠正错误登记。", "恳请依法查处违规发包行为，公开村集体账目。",
	    "希望有关部门帮助我们要回承包地和补偿款。") },

	{ "社保医保", "0302", "claim", "demand", 0,
	  P("{co}未给员工缴纳社保", "反映{co}拖欠社会保险费", "关于养老保险缴费年限认定的问题", "{dist}医保报销难",
	    "退休后养老金计算有误"),
	  P("我是{co}的职工{who}，在公司工作了{years}年。", "本人{who}，今年{age}岁，原是{co}的员工。",
	    "我叫{who}，{year}年退休，家住{dist}{xq}。", "我们是{co}的{n}名职工，我是{who}。"),
	  P("公司从{ym}起就没有给我们缴纳[养老保险|社保]和医疗保险。", "我在公司工作期间的社保缴费记录有{months}个月是空白的。",
	    "单位扣了我们工资里的社保费，却没有交到社保局。", "办理退休时社保局说我的工龄有{years}年认定不了。",
	    "我的养老金比同年退休、同样工龄的同事少了好几百元。", "住院花了{money}元，医保只报销了很少一部分。",
	    "公司已经停产，老板说没钱补缴社保。", "异地就医备案手续太复杂，跑了好几趟都没办下来。"),
	  P("我们有劳动合同、工资条和社保缴费记录。", "我们去社保局问过，说要公司来办。",
	    "现在年纪大了，身体也不好，就指望这点养老钱。", "一起反映的还有{n}名老职工。"),
	  P("请求责令{co}为职工补缴社会保险费。", "恳请社保部门重新核定我的缴费年限和养老金。",
	    "希望有关部门简化医保报销手续，落实报销政策。") },

	{ "教育收费", "0702", "claim", "demand", 0,
	  P("{school}违规收费", "反映{school}乱收费问题", "{dist}{school}强制学生购买教辅资料", "{school}变相组织有偿补课",
	    "{dist}{school}入学难"),
	  P("我是{school}学生的家长。", "本人{who}，孩子在{dist}{school}上{grade}。", "我们是{school}的部分学生家长，我姓{sur}。",
	    "我家住{xq}，孩子今年{age}岁。"),
	  P("学校开学时要求每个学生交{price}元的资料费，没有任何收据。",
	    "班主任在家长群里通知，所有学生都要参加周末的补课，每人收费{money}元。", "学校通过家委会收取各种费用，说不清用途。",
	    "学校要求统一购买校服和平板电脑，价格比市场上贵很多。", "我家就在学校划片范围内，可是学校说名额满了不能入学。",
	    "学校食堂饭菜质量很差，收费却年年涨。", "不参加补课的孩子被调到最后一排，老师上课也不管。",
	    "学校午托费每月{fee3}元，不交就不让孩子中午留校。"),
	  P("很多家长敢怒不敢言，怕孩子在学校受委屈。", "我们向教育局打过电话，一直没有答复。", "我们有家长群的聊天截图和缴费记录。",
	    "孩子回家说班上{n}个同学都交了。"),
	  P("请求教育部门查处学校违规收费行为，退还费用。", "恳请规范学校办学行为，禁止有偿补课。", "希望解决孩子就近入学的问题。") },

	{ "公共交通", "0802", "proposal", "suggest", 0,
	  P("建议增开{bus}路公交车", "{bus}路公交车经常不按时发车", "关于{road}公交站点设置的建议", "{dist}{xq}附近出行难",
	    "建议延长{bus}路公交运营时间"),
	  P("我是住在{dist}{xq}的居民{who}。", "我每天坐{bus}路公交车上下班。", "本人{who}，在{road}附近上班。",
	    "我们是{xq}及周边小区的居民。"),
	  P("{bus}路公交车早高峰经常二十多分钟才来一趟，车上挤得满满的。", "{road}一带新建了好几个小区，可是附近只有一条公交线路。",
	    "地图上显示车还有八分钟到，等了半个小时也没有来。", "{bus}路末班车晚上七点就停了，下夜班的人只能打车回家。",
	    "公交站离小区有一公里多，老人和孩子出行很不方便。", "{road}的公交站台没有遮雨棚，下雨天等车要淋雨。",
	    "公交车司机经常不进站停靠，乘客只能追着车跑。", "{xq}到地铁站之间没有接驳公交。"),
	  P("周边小区加起来有上万名居民。", "我们在12345上反映过，答复说会研究。", "学生放学的时候车上特别挤，存在安全隐患。",
	    "私家车越来越多，{road}早晚都堵得厉害。"),
	  P("建议增加{bus}路的发车班次，延长运营时间。", "希望在{xq}附近增设公交站点或者开通社区公交。",
	    "请公交公司加强管理，按时发车、规范停靠。") },

	{ "医疗纠纷", "0601", "claim", "demand", 0,
	  P("{hosp}医疗事故", "反映{dist}{hosp}过度医疗问题", "{hosp}误诊导致病情延误", "投诉{hosp}乱收费",
	    "{hosp}手术后出现严重后遗症"),
	  P("我叫{who}，我母亲今年{age}岁。", "本人{who}，{ym}在{hosp}住院治疗。", "我是患者{sur}某的家属{who}。",
	    "我家住{dist}{xq}，{ym}带孩子去{hosp}看病。"),
	  P("在{hosp}做完手术后出现了感染，又住院治疗了{months}个月。", "医院没有做必要的检查就开了药，结果病情越来越重。",
	    "住院{n}天花了{money}元，清单里有很多项目根本没有做过。", "转到省里医院才查出来是误诊，耽误了最佳治疗时间。",
	    "医生在手术前没有告知风险，家属签字的时候也没有解释。", "我们申请复印病历，医院一直拖着不给。",
	    "医院说责任不在他们，建议我们去法院起诉。", "护士打针时出了差错，孩子的手背肿了好几天。"),
	  P("我们找医院医务科协商了好几次，都没有结果。", "现在病人生活不能自理，家里为了看病已经借了很多钱。",
	    "我们申请过医疗事故鉴定，一直没有安排。", "医院的态度很恶劣，说我们是医闹。"),
	  P("请求卫健部门调查处理，依法认定责任。", "恳请督促医院提供完整病历，退还不合理收费。", "希望医院赔偿我们的医疗费和误工费。") },

	{ "违章建筑", "0102", "claim", "demand", 0,
	  P("{xq}业主违规搭建", "举报{xq}私搭乱建", "{road}商户违法建设", "{xq}楼顶违建无人管", "反映{xq}一楼住户私自扩建院子"),
	  P("我是{dist}{xq}的业主{who}。", "我家住{xq}{bld}。", "本人{who}，{xq}居民。", "我们是{xq}的部分业主。"),
	  P("楼下一楼住户把绿地圈起来扩建了院子，还盖了一间{area}平方米的房子。", "顶楼的业主在楼顶加盖了一层彩钢房，压得楼板都裂了。",
	    "沿街的商户把门面往外扩了好几米，占用了消防通道。", "邻居把阳台护栏拆了往外延伸，挡住了我家的采光。",
	    "违建已经存在{years}年了，城管来看过几次都没有拆。", "有人在小区的公共区域私自建了车棚收费。",
	    "违建的房子被租出去开了{shop}，天天吵闹。", "私自打通承重墙，我们担心整栋楼的安全。"),
	  P("物业说他们没有执法权，让我们找城管。", "我们向城管部门举报过，答复说已经下达了整改通知。", "我们有现场照片和视频。",
	    "小区里跟风搭建的人越来越多。"),
	  P("请求城管部门依法拆除违法建筑。", "恳请有关部门恢复绿地和消防通道。", "希望尽快处理，消除安全隐患。") },

	{ "统计造假", "1201", "accusation", "accuse", 0,
	  P("举报{bureau}统计数据造假", "{co}虚报产值", "反映{town}经济数据弄虚作假", "举报{co}统计报表造假"),
	  P("我是{co}的一名职工。", "本人{who}，在{dist}工作。", "我是知情人，在{co}负责报表工作。", "我是{town}的一名干部。"),
	  P("{co}上报的年产值是{money}万元，实际生产只有一半左右。", "{bureau}要求下面的企业按照下达的指标填报数据。",
	    "镇里为了完成考核任务，让企业虚报营业收入。", "统计报表上的用工人数比实际多了{n}人。",
	    "为了达到规模以上企业的标准，公司把关联企业的产值也算了进来。", "领导开会时明确说数据必须增长，不管实际情况怎么样。"),
	  P("我手里有真实的生产记录和财务报表。", "我担心说出来会被打击报复。", "这种做法已经持续{years}年了。"),
	  P("请求依法查处统计造假行为，追究相关人员责任。", "恳请上级统计部门开展核查。") },

	{ "村务公开", "0202", "claim", "demand", 1,
	  P("{vil}村务不公开", "反映{town}{vil}村干部侵占集体资金", "{vil}低保评定不公", "{vil}集体资产去向不明"),
	  P("我是{town}{vil}村民{who}。", "我们是{vil}的村民，我是代表{who}。", "本人{who}，{vil}村民，今年{age}岁。"),
	  P("村里的账目{years}年没有公开过了。", "村委会把集体的{mu}亩鱼塘承包出去，承包费不知去向。",
	    "村干部的亲戚都吃上了低保，真正困难的人家却评不上。", "上级拨付的修路款{money}元，路只修了一半。",
	    "村里的集体厂房被低价卖给了村主任的亲戚。", "村民代表大会好几年没有开过，什么事都是村支书一个人说了算。"),
	  P("我们向镇里反映过，镇里说会派人调查，后来就没有消息了。", "村民们不敢公开说，怕被报复。", "我们有部分账目的复印件。"),
	  P("请求对村集体账目进行审计，公开村务。", "恳请查处村干部违规行为。", "希望重新评定低保，公平公正。") },
};
const int gen_n_topics = N_OF(topics);

const char *gen_topic_name(int t)
{
	return t >= 0 && t < gen_n_topics ? topics[t].name : "?";
}

/* general pools, any topic: effects on the writer, earlier attempts, the
 * writer's own circumstances, "I wrote before" (repeats), salutations, closings */
static const char *const effects[] = {
	"这件事严重影响了[我们|我家|大家]的正常生活。", "家里[老人|老人孩子|一家老小]都跟着受罪，我们实在没有办法了。",
	"我们都是普通老百姓，只能[求助|求]政府[|了]。", "希望领导能体谅我们的[难处|苦衷]。", "这个问题拖了这么久，[大家|群众|邻居们]的意见都很大。",
	"我们相信政府一定会给我们一个[公道|说法|满意的答复]。", "如果问题得不到解决，我们只能[继续向上反映|去省里反映]。",
	"事情发生以后，我们全家人都[寝食难安|睡不好觉]。",
};
static const char *const earlier[] = {
	"我们打过[12345市民热线|市长热线|12345]，每次都说[转给相关部门了|会处理]，可是一直没有结果。",
	"之前也向[街道|社区|镇政府|区里]反映过，答复说会处理，但[一直没有下文|到现在也没动静]。",
	"我们在网上留言过[两次|好几次|三次]，都没有得到有效答复。",
	"[去年|前年|几个月前]我们就反映过这个问题，有关部门来看了一次就再也没有消息了。",
	"相关部门的答复是[正在协调|正在调查|会尽快处理]，可是问题一点没有解决。",
};
static const char *const own[] = {
	"我今年{age}岁了，[身体不好|腿脚不便|患有高血压|刚做完手术]，[老伴|孩子|家里人][在外地打工|身体也不好|需要照顾]。",
	"我[白天上班|一个人带孩子|在外面打零工]，[实在没有时间|没有精力|没有能力]一趟趟地跑。",
	"[为了这件事|这段时间]我[请了好几天假|跑了不下十趟|已经瘦了十几斤]，[心力交瘁|身心俱疲|实在是没有办法了]。",
	"[我们家|我家]{years}年前[从农村搬来|来这里安家|在这里买的房]，[一直|向来]相信政府。",
	"[我|我们]不懂法律，[写得不好|说得不清楚]的地方请领导[谅解|见谅|包涵]。",
};
static const char *const again[] = {
	"我在{prev}已经反映过这个问题，至今[没有解决|没有结果]，现再次反映。",
	"{prev}我反映的问题到现在还没有处理结果，只好再次[来信|反映]。",
	"关于这个问题我{prev}已经反映过一次，答复说会调查，但情况没有任何变化。",
	"这是我第二次反映这个问题了，上次是{prev}。", "上次反映以后情况不但没有好转，反而更[严重|糟糕]了。",
};
static const char *const saluts[] = { "尊敬的领导：", "尊敬的领导，您好！", "领导您好：", "各位领导：" };
static const char *const closings[] = { "此致敬礼！", "谢谢领导！", "万分感谢！", "盼复。" };

/* the writer's own story: frames with {@list} words chosen per sentence */
static const char *const story[] = {
	"我{@rel}今年{@num}岁，患有{@ill}，每个月光药费就要{@num}百多元。",
	"{@when}我{@act}找到{@org}，工作人员让我先准备{@item}和{@item}。",
	"我平时在{@place}附近{@job}，一个月挣{@num}00元，还要养活{@rel}和{@rel}。",
	"为了这件事我已经跑了{@org}、{@org}和{@org}，每个地方都说不归他们管。",
	"{@when}{@rel}因为这事气得{@ill}犯了，在{@place}住了{@num}天院。",
	"我们把{@item}、{@item}都准备好了，{@org}的人看了一眼就说不行。",
	"家里全靠我一个人{@job}养家，{@rel}还在上学，{@rel}常年卧床。",
	"这件事让我{@feel}，{@when}以来一直{@feel}。",
	"我找过{@org}的一位{@sur}同志，他答应帮忙问问，后来就再没有消息。",
	"{@when}我又去了一趟{@org}，排了{@num}个小时的队，最后只拿到一张{@item}。",
	"邻居{@sur}大爷也遇到过类似的事，去了{@org}好几次都没有办成。",
	"我们家离{@place}有{@num}公里，每次来回都要花大半天。",
	"我手里有{@item}和{@item}，可以证明我说的都是事实。",
	"我{@rel}在{@place}{@job}，一年到头也见不到几面。",
	"{@when}的时候{@org}还专门派人来看过，说{@num}天内给答复。",
	"我给{@org}打了{@num}次电话，不是占线就是没人接。",
	"{@when}{@rel}在{@place}摔了一跤，到现在还拄着拐。",
	"我{@when}刚从{@place}回来，听{@rel}说了这事才知道{@org}早就来过。",
	"{@rel}{@when}查出了{@ill}，医生说要长期吃药，家里的积蓄都花光了。",
	"我在{@place}{@job}{@num}年了，从来没有遇到过这么不讲理的事。",
	"{@org}让我们去找{@org}，{@org}又让我们回去找{@org}，来回折腾了{@num}趟。",
	"{@when}下着大雨，我和{@rel}在{@org}门口等了一上午也没见到负责的人。",
	"我们{@when}就把{@item}交上去了，到现在连个{@item}都没有给。",
	"我{@rel}是退伍军人，{@when}还为这事专门写了{@num}页的材料。",
	"后来{@sur}主任把我们叫到{@org}，当着{@num}个人的面说这事办不了。",
	"这些年我{@job}攒下的钱，全都搭在这件事上了。",
	"{@when}听说{@place}那边也有人{@act}，结果被人堵在门口不让进。",
	"为了等答复，我{@when}把{@place}的活都辞了，现在一家人的生活都成了问题。",
	"{@rel}天天埋怨我，说我不该管这件事，可我实在{@feel}。",
	"我们村的{@sur}会计能作证，他手里也有{@item}。",
	"{@when}我专门请了{@num}天假，带着{@item}去了{@org}。",
	"我{@rel}为这事急得{@ill}又犯了，{@when}还在{@place}输了{@num}天液。",
};
static const char *const w_rel[] = { "父亲", "母亲", "老伴", "儿子", "女儿", "孙子", "外孙女", "哥哥", "弟弟", "姐姐",
				     "妹妹", "岳父", "婆婆", "公公", "丈夫", "妻子", "儿媳", "女婿", "侄子", "小舅子" };
static const char *const w_ill[] = { "高血压", "糖尿病", "心脏病", "腰椎间盘突出", "脑梗", "风湿病", "哮喘", "胃病", "肾病",
				     "白内障", "颈椎病", "抑郁症", "冠心病", "肺气肿", "关节炎", "甲亢", "贫血", "痛风", "偏头痛" };
static const char *const w_org[] = { "街道办", "社区居委会", "派出所", "司法所", "信访办", "镇政府", "住建局", "人社局", "市场监管局",
				     "城管执法局", "生态环境局", "卫健委", "教育局", "自然资源局", "公安分局", "法院", "仲裁委",
				     "消协", "工会", "妇联", "民政局", "规划局", "水务局", "交通局" };
static const char *const w_when[] = { "去年春节前", "今年三月份", "上个月中旬", "前年秋天", "年初", "国庆节前后", "五一假期",
				      "上周二", "前天晚上", "去年冬天", "今年夏天", "清明节后", "元旦前", "端午节前", "腊月里",
				      "开学前", "上个礼拜", "八月底", "年前", "中秋节那天" };
static const char *const w_item[] = { "材料", "证明", "收据", "合同", "发票", "录音", "照片", "视频", "聊天记录", "银行流水",
				      "病历", "鉴定报告", "房产证", "户口本", "身份证复印件", "协议书", "欠条", "通知书", "回执单", "申请表" };
static const char *const w_job[] = { "当保安", "做保洁", "送外卖", "开出租", "摆摊", "当厨师", "做会计", "跑运输", "教书", "当护工",
				     "送快递", "干装修", "当电工", "看大门", "卖保险", "打零工", "开小卖部", "修车" };
static const char *const w_feel[] = { "心急如焚", "寝食难安", "苦不堪言", "忍无可忍", "焦头烂额", "走投无路", "有苦难言",
				      "欲哭无泪", "心灰意冷", "无可奈何", "提心吊胆", "愁眉不展" };
static const char *const w_act[] = { "打电话", "写信", "发短信", "上门", "托人", "找律师", "网上留言", "拨打热线", "递交材料",
				     "当面反映" };
static const char *const w_place[] = { "路", "街", "市场", "医院", "车站", "银行", "超市", "广场", "公园", "学校", "工业园", "批发城" };

/* ---- a petition: the sentences it is made of ---------------------------------------------- */

enum { S_T, S_O, S_F, S_D, S_R, S_E, S_H, S_A, S_SAL, S_CLO, S_OWN, S_STORY };

struct sent {
	uint8_t pool, idx;
	uint32_t seed; /* chooses among [a|b] alternatives */
};

struct comp {
	int n;
	struct sent s[MAXS]; /* s[0]: title; then the content; the request last */
};

static int plen(const char *const *a)
{
	int n = 0;

	while (a[n])
		n++;
	return n;
}

static int pool_len(const struct topic *t, int pool)
{
	switch (pool) {
	case S_T: return plen(t->t);
	case S_O: return plen(t->o);
	case S_F: return plen(t->f);
	case S_D: return plen(t->d);
	case S_R: return plen(t->r);
	case S_E: return N_OF(effects);
	case S_H: return N_OF(earlier);
	case S_A: return N_OF(again);
	case S_SAL: return N_OF(saluts);
	case S_OWN: return N_OF(own);
	case S_STORY: return N_OF(story);
	default: return N_OF(closings);
	}
}

static const char *pool_str(const struct topic *t, struct sent s)
{
	switch (s.pool) {
	case S_T: return t->t[s.idx];
	case S_O: return t->o[s.idx];
	case S_F: return t->f[s.idx];
	case S_D: return t->d[s.idx];
	case S_R: return t->r[s.idx];
	case S_E: return effects[s.idx];
	case S_H: return earlier[s.idx];
	case S_A: return again[s.idx];
	case S_SAL: return saluts[s.idx];
	case S_OWN: return own[s.idx];
	case S_STORY: return story[s.idx];
	default: return closings[s.idx];
	}
}

static struct sent pick(struct gen_rng *r, const struct topic *t, int pool)
{
	struct sent s;

	s.pool = (uint8_t)pool;
	s.idx = (uint8_t)rnd(r, pool_len(t, pool));
	s.seed = (uint32_t)gen_next(r);
	return s;
}

static int has_sent(const struct comp *c, struct sent s)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->s[i].pool == s.pool && c->s[i].idx == s.idx)
			return 1;
	return 0;
}

static void add_new(struct gen_rng *r, const struct topic *t, struct comp *c, int pool)
{
	int tries;

	for (tries = 0; tries < 8 && c->n < MAXS - 1; tries++) {
		struct sent s = pick(r, t, pool);

		if (!has_sent(c, s)) {
			c->s[c->n++] = s;
			return;
		}
	}
}

/* A fresh text about the topic: title, [salutation], opening, 3-5 facts,
 * 1-3 details and 2-4 sentences of the writer's own story in random order,
 * [own circumstances], [effect], [earlier attempts], [closing], request. */
static void compose(struct gen_rng *r, const struct topic *t, struct comp *c)
{
	int i, nf = between(r, 3, 4), nd = between(r, 0, 2), from;

	c->n = 0;
	c->s[c->n++] = pick(r, t, S_T);
	if (chance(r, 250))
		c->s[c->n++] = pick(r, t, S_SAL);
	c->s[c->n++] = pick(r, t, S_O);
	from = c->n;
	for (i = 0; i < nf; i++)
		add_new(r, t, c, S_F);
	for (i = 0; i < nd; i++)
		add_new(r, t, c, S_D);
	for (i = between(r, 3, 5); i > 0; i--)
		add_new(r, t, c, S_STORY);
	for (i = c->n - 1; i > from; i--) { /* shuffle facts and details */
		int j = from + rnd(r, i - from + 1);
		struct sent x = c->s[i];

		c->s[i] = c->s[j];
		c->s[j] = x;
	}
	if (chance(r, 500))
		add_new(r, t, c, S_OWN);
	if (chance(r, 500))
		add_new(r, t, c, S_E);
	if (chance(r, 400))
		add_new(r, t, c, S_H);
	if (chance(r, 150))
		c->s[c->n++] = pick(r, t, S_CLO);
	c->s[c->n++] = pick(r, t, S_R);
}

static int again_at(const struct comp *c)
{
	return c->n > 1 && c->s[1].pool == S_SAL ? 2 : 1;
}

/* The same person again: the earlier text with edits. */
static void edit(struct gen_rng *r, const struct topic *t, struct comp *c)
{
	int i, k, at = again_at(c);

	for (i = 1; i < c->n; i++) /* the earlier "I wrote before" goes */
		if (c->s[i].pool == S_A) {
			memmove(&c->s[i], &c->s[i + 1], (size_t)(c->n - i - 1) * sizeof c->s[0]);
			c->n--;
			i--;
		}
	if (chance(r, 550) && c->n < MAXS - 1) { /* "I wrote about this on ..." first */
		memmove(&c->s[at + 1], &c->s[at], (size_t)(c->n - at) * sizeof c->s[0]);
		c->s[at] = pick(r, t, S_A);
		c->n++;
	}
	if (chance(r, 600)) { /* one sentence replaced */
		k = between(r, 1, c->n - 1);
		if (c->s[k].pool != S_A) {
			struct sent s = pick(r, t, c->s[k].pool);

			if (!has_sent(c, s))
				c->s[k] = s;
		}
	}
	for (i = 1; i < c->n; i++) /* some sentences worded a little differently */
		if (chance(r, 150))
			c->s[i].seed = (uint32_t)gen_next(r);
	if (chance(r, 300) && c->n > 6) { /* something left out */
		k = between(r, 2, c->n - 2);
		memmove(&c->s[k], &c->s[k + 1], (size_t)(c->n - k - 1) * sizeof c->s[0]);
		c->n--;
	}
	if (chance(r, 450) && c->n < MAXS - 1) { /* something new, before the request */
		static const int pools[] = { S_D, S_E, S_H, S_F, S_OWN };
		struct comp tmp = *c;

		tmp.n = 0;
		add_new(r, t, &tmp, pools[rnd(r, N_OF(pools))]);
		if (tmp.n && !has_sent(c, tmp.s[0])) {
			c->s[c->n] = c->s[c->n - 1];
			c->s[c->n - 1] = tmp.s[0];
			c->n++;
		}
	}
	if (chance(r, 250)) /* another title */
		c->s[0] = pick(r, t, S_T);
}

/* ---- how a writer writes ------------------------------------------------------------------------
 * Every writer has a style: for each entry of syn[] a fixed choice (keep the
 * word, or one of its alternatives), and per sentence, seeded by the sentence
 * and the writer, a clause may be left out and a filler put in front of
 * another. The same person writing the same sentence again writes it the same
 * way; two people seldom do.
 */
static const char *const syn[][5] = {
	{ "我们", "咱们", "我们大家", "我们这些人", NULL }, { "没有", "没", "并没有", "从来没有", NULL },
	{ "一直", "始终", "总是", "一直都", NULL },          { "反映", "反应", "投诉", "举报", NULL },
	{ "问题", "事情", "情况", "事", NULL },              { "现在", "目前", "如今", "眼下", NULL },
	{ "已经", "早已", "都已经", "早就", NULL },          { "多次", "屡次", "好几次", "无数次", NULL },
	{ "希望", "盼望", "期望", "真心希望", NULL },        { "请求", "恳请", "请", "强烈要求", NULL },
	{ "严重", "十分严重", "非常严重", "特别严重", NULL }, { "影响", "干扰", "困扰", NULL },
	{ "根本", "完全", "压根", NULL },                    { "非常", "十分", "特别", "相当", NULL },
	{ "很多", "不少", "许多", "好多", NULL },            { "有关部门", "相关部门", "政府部门", "职能部门", NULL },
	{ "至今", "到现在", "直到今天", "迄今为止", NULL },  { "处理", "解决", "处置", NULL },
	{ "答复", "回复", "回应", NULL },                    { "可是", "但是", "然而", "可", NULL },
	{ "每天", "天天", "每日", NULL },                    { "晚上", "夜里", "夜间", NULL },
	{ "孩子", "小孩", "娃", NULL },                      { "老人", "老年人", "上了年纪的人", NULL },
	{ "告诉", "跟我们说", "通知", NULL },                { "说是", "声称", "称", NULL },
	{ "公司", "单位", "企业", NULL },                    { "政府", "人民政府", "政府机关", NULL },
	{ "领导", "各位领导", "领导同志", NULL },            { "发现", "看到", "注意到", NULL },
	{ "不给", "拒绝", "不肯", NULL },                    { "要求", "让", "叫", NULL },
	{ "依法", "按照法律", "按规定", NULL },              { "尽快", "早日", "及时", "马上", NULL },
	{ "居民", "住户", "老百姓", NULL },                  { "小区", "社区", "院里", NULL },
	{ "情况", "状况", "现象", NULL },                    { "责令", "要求", "督促", NULL },
	{ "所以", "因此", "于是", NULL },                    { "怎么", "如何", NULL },
};
#define N_SYN N_OF(syn)
static const char *const fillers[] = { "其实", "说实话，", "而且", "真的是", "更可气的是，", "大家都知道，", "说句实在话，",
				       "本来", "另外，", "关键是", "让人气愤的是，", "问题是", "特别是" };

static int syn_alts(int i)
{
	int n = 0;

	while (n < 4 && syn[i][n + 1])
		n++;
	return n;
}

/* The writer's words: syn[] substitutions in a template (not inside {slots}). */
static size_t syn_apply(const char *c, uint64_t wseed, char *out, size_t cap)
{
	size_t o = 0;

	while (*c && o + 1 < cap) {
		int k, hit = 0;

		if (*c == '{') { /* a slot: as it is */
			while (*c && *c != '}' && o + 1 < cap)
				out[o++] = *c++;
			continue;
		}
		for (k = 0; k < (int)N_SYN; k++) {
			size_t sl;

			/* every source word starts with a 3-byte character */
			if (c[0] != syn[k][0][0] || c[1] != syn[k][0][1] || c[2] != syn[k][0][2])
				continue;
			sl = strlen(syn[k][0]);
			if (strncmp(c, syn[k][0], sl) == 0) {
				/* the writer's fixed choice for this word */
				uint64_t h = wseed ^ (0x51ed27ull * (uint64_t)(k + 1));
				int ch;

				h = (h ^ (h >> 31)) * 0x94D049BB133111EBull;
				h ^= h >> 29;
				ch = (int)(h % (uint64_t)(syn_alts(k) + 1));
				if (ch) {
					size_t wl = strlen(syn[k][ch]);

					if (o + wl >= cap)
						goto out;
					memcpy(out + o, syn[k][ch], wl);
					o += wl;
					c += sl;
					hit = 1;
				}
				break;
			}
		}
		if (!hit) { /* one UTF-8 character */
			unsigned char b = (unsigned char)*c;
			size_t cl = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;

			if (o + cl >= cap)
				break;
			memcpy(out + o, c, cl);
			o += cl;
			c += cl;
		}
	}
out:
	out[o] = '\0';
	return o;
}

/* The writer's sentence: a clause may be left out, a filler put in front of one. */
static size_t clauses(const char *in, uint64_t wseed, uint32_t sseed, char *out, size_t cap)
{
	struct gen_rng sr = { wseed * 0x9E3779B97F4A7C15ull ^ sseed };
	const char *start[32];
	size_t len[32], o = 0;
	int nc = 0, i, drop = -1, fill = -1;
	const char *p = in;

	while (*p && nc < 32) { /* split after each '，' (it stays with its clause) */
		const char *e = strstr(p, "，");
		size_t l = e ? (size_t)(e - p) + 3 : strlen(p);

		start[nc] = p;
		len[nc++] = l;
		p += l;
	}
	if (nc >= 3 && chance(&sr, 300))
		drop = rnd(&sr, nc - 1); /* never the last, which ends the sentence */
	if (chance(&sr, 200))
		fill = rnd(&sr, nc);
	for (i = 0; i < nc; i++) {
		if (i == drop)
			continue;
		if (i == fill) {
			const char *f = fillers[rnd(&sr, N_OF(fillers))];
			size_t fl = strlen(f);

			if (o + fl < cap)
				memcpy(out + o, f, fl), o += fl;
		}
		if (o + len[i] >= cap)
			break;
		memcpy(out + o, start[i], len[i]);
		o += len[i];
	}
	out[o] = '\0';
	return o;
}

/* ---- values --------------------------------------------------------------------------------- */

#define NV 40

struct vals {
	uint64_t style; /* the writer's (syn[] choices) */
	int n;
	const char *key[NV];
	char val[NV][64];
};

static void vset(struct vals *v, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void vset(struct vals *v, const char *key, const char *fmt, ...)
{
	va_list ap;
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->key[i], key) == 0)
			break;
	if (i == v->n) {
		if (v->n == NV)
			abort();
		v->key[v->n++] = key;
	}
	va_start(ap, fmt);
	vsnprintf(v->val[i], sizeof v->val[i], fmt, ap);
	va_end(ap);
}

static const char *vget(const struct vals *a, const struct vals *b, const char *key, size_t len)
{
	int i;

	for (i = 0; i < b->n; i++) /* the writer's values first */
		if (strlen(b->key[i]) == len && memcmp(b->key[i], key, len) == 0)
			return b->val[i];
	for (i = 0; i < a->n; i++)
		if (strlen(a->key[i]) == len && memcmp(a->key[i], key, len) == 0)
			return a->val[i];
	return NULL;
}

static void two(struct gen_rng *r, char *out, size_t n)
{
	int a = rnd(r, N_OF(namechars)), b = rnd(r, N_OF(namechars) - 1);

	if (b >= a)
		b++;
	snprintf(out, n, "%s%s", namechars[a], namechars[b]);
}

static void civil(int64_t days, int *y, int *m, int *d)
{
	/* days since 1970-01-01 -> date (Howard Hinnant's algorithm) */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097), yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

/* "2024年3月", back_months before at */
static void ym(int64_t at, int back_months, char *out, size_t n)
{
	int y, m, d;

	civil(at / DAY - (int64_t)back_months * 30, &y, &m, &d);
	snprintf(out, n, "%d年%d月", y, m);
}

static void date_of(int64_t at, char *out, size_t n)
{
	int y, m, d;

	civil(at / DAY, &y, &m, &d);
	snprintf(out, n, "%d年%d月%d日", y, m, d);
}

static void matter_vals(struct gen_rng *r, const struct div *dv, int64_t at, struct vals *v)
{
	char a[16];

	v->n = 0;
	vset(v, "dist", "%s", dv->name);
	vset(v, "city", "%s", dv->city);
	two(r, a, sizeof a), vset(v, "xq", "%s%s", a, PICK(r, estate_sfx));
	two(r, a, sizeof a), vset(v, "co", "%s%s%s", dv->city, a, PICK(r, co_sfx));
	two(r, a, sizeof a), vset(v, "mix", "%s%s", a, PICK(r, mix_sfx));
	two(r, a, sizeof a), vset(v, "road", "%s%s", a, PICK(r, road_sfx));
	two(r, a, sizeof a), vset(v, "vil", "%s村", a);
	two(r, a, sizeof a), vset(v, "town", "%s%s", a, chance(r, 700) ? "镇" : "乡");
	two(r, a, sizeof a), vset(v, "site", "%s%s", a, chance(r, 500) ? "项目" : "二期工程");
	two(r, a, sizeof a), vset(v, "school", "%s%s%s", dv->name, a, PICK(r, school_sfx));
	two(r, a, sizeof a), vset(v, "hosp", "%s%s", chance(r, 500) ? dv->name : a, PICK(r, hosp_sfx));
	two(r, a, sizeof a), vset(v, "plant", "%s%s", a, PICK(r, plant_sfx));
	two(r, a, sizeof a), vset(v, "shop", "%s%s", a, PICK(r, shop_sfx));
	two(r, a, sizeof a), vset(v, "bureau", "%s%s", dv->name, chance(r, 500) ? "统计局" : "经济发展局");
	vset(v, "bus", "%d", between(r, 1, 399));
	vset(v, "money", "%d", between(r, 8, 900) * 1000 + between(r, 0, 9) * 100);
	vset(v, "n", "%d", between(r, 3, 80));
	vset(v, "months", "%d", between(r, 2, 14));
	{
		char b[24];

		ym(at, between(r, 3, 24), b, sizeof b);
		vset(v, "ym", "%s", b);
	}
	vset(v, "mon", "%d", between(r, 1, 12));
	vset(v, "fee1", "%d.%d", between(r, 0, 1), between(r, 5, 9));
	vset(v, "fee2", "%d.%d", between(r, 2, 3), between(r, 0, 9));
	vset(v, "fee3", "%d", between(r, 2, 30) * 10);
	vset(v, "park", "%d", between(r, 6, 40) * 10);
	vset(v, "mu", "%d", between(r, 2, 60));
	vset(v, "price", "%d", between(r, 8, 90) * 100);
	vset(v, "area", "%d", between(r, 40, 300));
	vset(v, "year", "%d", between(r, 2012, 2023));
	vset(v, "grade", "%s", PICK(r, ((const char *const[]){ "一年级", "三年级", "初一", "初二", "高一" })));
	vset(v, "sur", "%s", PICK(r, surnames));
}

static void person_vals(struct gen_rng *r, const struct gen_person *p, struct vals *v)
{
	const char *q;

	v->n = 0;
	v->style = 1469598103934665603ull; /* the same person writes the same way */
	for (q = p->id_number; *q; q++)
		v->style = (v->style ^ (unsigned char)*q) * 1099511628211ull;
	vset(v, "who", "%s", p->name);
	vset(v, "bld", "%d号楼%d单元%d室", between(r, 1, 30), between(r, 1, 6), between(r, 1, 28) * 100 + between(r, 1, 4));
	vset(v, "years", "%d", between(r, 2, 20));
	vset(v, "mymoney", "%d", between(r, 3, 90) * 1000);
	vset(v, "job", "%s", PICK(r, jobs));
	vset(v, "age", "%d", between(r, 30, 86));
}

/* ---- text --------------------------------------------------------------------------------- */

static char *arena_alloc(struct gen_corpus *g, size_t n)
{
	char *p;

	if (n > g->left) {
		size_t sz = n > (1u << 22) ? n : (1u << 22);

		if (g->narena == g->arena_cap) {
			size_t cap = g->arena_cap ? g->arena_cap * 2 : 64;
			char **a = realloc(g->arena, cap * sizeof *a);

			if (!a)
				return NULL;
			g->arena = a;
			g->arena_cap = cap;
		}
		g->cur = malloc(sz);
		if (!g->cur)
			return NULL;
		g->arena[g->narena++] = g->cur;
		g->left = sz;
	}
	p = g->cur;
	g->cur += n;
	g->left -= n;
	return p;
}

static const char *list_word(struct gen_rng *sr, const char *name, size_t len, char *buf, size_t cap)
{
#define IS(x) (len == strlen(x) && memcmp(name, x, len) == 0)
	if (IS("rel"))
		return PICK(sr, w_rel);
	if (IS("ill"))
		return PICK(sr, w_ill);
	if (IS("org"))
		return PICK(sr, w_org);
	if (IS("when"))
		return PICK(sr, w_when);
	if (IS("item"))
		return PICK(sr, w_item);
	if (IS("job"))
		return PICK(sr, w_job);
	if (IS("act"))
		return PICK(sr, w_act);
	if (IS("feel"))
		return PICK(sr, w_feel);
	if (IS("sur"))
		return PICK(sr, surnames);
	if (IS("num")) {
		snprintf(buf, cap, "%d", between(sr, 2, 99));
		return buf;
	}
	if (IS("place")) {
		two(sr, buf, cap);
		snprintf(buf + strlen(buf), cap - strlen(buf), "%s", PICK(sr, w_place));
		return buf;
	}
#undef IS
	return NULL;
}

/* Expand a template: {key} from the writer's then the matter's values, [a|b]
 * by the sentence's seed. Returns the bytes written (out is NUL-terminated). */
static size_t expand(const char *tmpl, uint32_t seed, const struct vals *m, const struct vals *w, char *out,
		     size_t cap)
{
	struct gen_rng sr = { 0x5eed0000ull ^ seed };
	size_t o = 0;
	const char *p = tmpl;
	int depth = 0;

	while (*p && o + 1 < cap) {
		if (*p == '[') { /* choose one alternative */
			const char *q = p + 1;
			int n = 1, k;

			for (; *q && *q != ']'; q++)
				n += *q == '|';
			k = rnd(&sr, n);
			/* skip to the k-th alternative */
			for (p++; k > 0; p++)
				k -= *p == '|';
			depth = 1;
			continue;
		}
		if (depth && (*p == '|' || *p == ']')) {
			while (*p && *p != ']') /* end of the chosen one */
				p++;
			if (*p == ']')
				p++, depth = 0;
			continue;
		}
		if (*p == '{') {
			const char *e = strchr(p, '}'), *v;
			char word[64];
			size_t vl;

			if (!e)
				abort();
			if (p[1] == '@') /* a word from a list, chosen per sentence */
				v = list_word(&sr, p + 2, (size_t)(e - p - 2), word, sizeof word);
			else
				v = vget(m, w, p + 1, (size_t)(e - p - 1));
			if (!v) {
				fprintf(stderr, "gen: no value for %.*s\n", (int)(e - p - 1), p + 1);
				abort();
			}
			vl = strlen(v);
			if (o + vl >= cap)
				break;
			memcpy(out + o, v, vl);
			o += vl;
			p = e + 1;
		} else
			out[o++] = *p++;
	}
	out[o] = '\0';
	return o;
}

/* One sentence as this writer writes it; returns the bytes written. */
static size_t sentence(const struct topic *t, struct sent st, const struct vals *m, const struct vals *w, char *out,
		       size_t cap)
{
	char a[2048], b[4096];

	syn_apply(pool_str(t, st), w->style, a, sizeof a);
	expand(a, st.seed, m, w, b, sizeof b);
	return clauses(b, w->style, st.seed, out, cap);
}

/* title, content and request of a composition (buffers of cap bytes) */
static void render(const struct topic *t, const struct comp *c, const struct vals *m, const struct vals *w,
		   char *title, char *content, char *request, size_t cap)
{
	size_t o = 0;
	int i;

	expand(pool_str(t, c->s[0]), c->s[0].seed, m, w, title, cap); /* titles: no style */
	content[0] = '\0';
	for (i = 1; i < c->n - 1; i++)
		o += sentence(t, c->s[i], m, w, content + o, cap - o);
	sentence(t, c->s[c->n - 1], m, w, request, cap);
}

/* ---- the corpus ------------------------------------------------------------------------------- */

static void gb11643(const char *div, int64_t serial, char out[19])
{
	static const int wt[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char chk[] = "10X98765432";
	int64_t day = serial / 1000; /* birth day: 1950-01-01 + day */
	int i, s = 0;

	int y, m, d;

	civil(-7305 + day % 20000, &y, &m, &d);
	snprintf(out, 19, "%.6s%04d%02d%02d%03d", div, y, m, d, (int)(serial % 1000));
	for (i = 0; i < 17; i++)
		s += (out[i] - '0') * wt[i];
	out[17] = chk[s % 11];
	out[18] = '\0';
}

static int new_person(struct gen_corpus *g, struct gen_rng *r, const struct div *dv, size_t *cap)
{
	struct gen_person *p;

	if (g->np == *cap) {
		size_t c = *cap ? *cap * 2 : 4096;
		struct gen_person *np = realloc(g->p, c * sizeof *np);

		if (!np)
			return -1;
		g->p = np;
		*cap = c;
	}
	p = &g->p[g->np];
	snprintf(p->name, sizeof p->name, "%s%s", PICK(r, surnames), PICK(r, given));
	gb11643(dv->code, (int64_t)g->np, p->id_number);
	snprintf(p->phone, sizeof p->phone, "1%d%09lld", 3 + rnd(r, 7), (long long)((g->np * 7919ull) % 1000000000ull));
	p->division = dv->code;
	return (int)g->np++;
}

static int add_case(struct gen_corpus *g, size_t *cap, const struct topic *t, int topic, const struct comp *c,
		    const struct vals *m, const struct vals *w, int64_t at, int matter, int person, int role,
		    const struct div *dv, struct gen_rng *r)
{
	char title[8192], content[8192], request[8192];
	struct gen_case *k;
	size_t lt, lc, lr;
	char *s;

	if (g->n == *cap) {
		size_t cc = *cap ? *cap * 2 : 4096;
		struct gen_case *nc2 = realloc(g->c, cc * sizeof *nc2);

		if (!nc2)
			return -1;
		g->c = nc2;
		*cap = cc;
	}
	render(t, c, m, w, title, content, request, sizeof content);
	lt = strlen(title) + 1, lc = strlen(content) + 1, lr = strlen(request) + 1;
	s = arena_alloc(g, lt + lc + lr);
	if (!s)
		return -1;
	k = &g->c[g->n++];
	memset(k, 0, sizeof *k);
	memcpy(s, title, lt), k->title = s;
	memcpy(s + lt, content, lc), k->content = s + lt;
	memcpy(s + lt + lc, request, lr), k->request = s + lt + lc;
	k->at = at;
	k->matter = matter;
	k->person = person;
	k->role = (uint8_t)role;
	k->topic = (uint8_t)topic;
	k->channel = (uint8_t)rnd(r, 8);
	k->division = dv->code;
	k->category = t->category;
	k->kind = t->kind;
	k->purpose = t->purpose;
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct gen_case *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->matter != y->matter ? (x->matter < y->matter ? -1 : 1) : 0;
}

/* a time in office hours (08:00-17:00 +08:00 is 00:00-09:00 UTC) on a day */
static int64_t office_time(struct gen_rng *r, int64_t day)
{
	return day * DAY + (int64_t)between(r, 0, 9 * 3600);
}

#define T0_DAY 19723 /* 2024-01-01 */
#define SPAN_DAYS 730

int gen_corpus(struct gen_corpus *g, size_t n, uint64_t seed)
{
	struct gen_rng r = { seed };
	size_t ccap = 0, pcap = 0;
	int matter = 0;

	memset(g, 0, sizeof *g);
	while (g->n < n) {
		int topic = rnd(&r, gen_n_topics), i, k, writers, person;
		const struct topic *t = &topics[topic];
		const struct div *dv;
		struct vals mv, wv;
		struct comp c;
		int64_t t0 = office_time(&r, T0_DAY + rnd(&r, SPAN_DAYS));
		size_t first = g->n;

		do
			dv = &divs[rnd(&r, N_OF(divs))];
		while (t->rural && !dv->rural && chance(&r, 700));
		matter_vals(&r, dv, t0, &mv);
		/* who writes: the first petitioner (3 % of them wrote about another matter before) */
		if (g->np > 1000 && chance(&r, 30))
			person = rnd(&r, (int)g->np);
		else if ((person = new_person(g, &r, dv, &pcap)) < 0)
			return -1;
		/* writers other than the first: 10 % of matters, and 0.3 % are mass issues */
		writers = chance(&r, 3) ? between(&r, 10, 40) : chance(&r, 100) ? between(&r, 1, 4) + rnd(&r, 3) : 0;
		for (k = 0; k <= writers; k++) {
			int who = k == 0 ? person : new_person(g, &r, dv, &pcap), back;
			int64_t at = k == 0 ? t0 : t0 + (int64_t)between(&r, 0, 60) * DAY + between(&r, 0, 9 * 3600);

			if (who < 0)
				return -1;
			person_vals(&r, &g->p[who], &wv);
			compose(&r, t, &c);
			if (add_case(g, &ccap, t, topic, &c, &mv, &wv, at, matter, who, k == 0 ? GEN_FIRST : GEN_RELATED,
				     dv, &r))
				return -1;
			/* the same writer again: 25 % of first petitioners, 15 % of the others */
			back = chance(&r, k == 0 ? 250 : 150) ? 1 + (chance(&r, 350) ? 1 : 0) + (chance(&r, 120) ? 1 : 0) : 0;
			for (i = 0; i < back; i++) {
				char prev[32];

				date_of(at + 8 * 3600, prev, sizeof prev);
				vset(&wv, "prev", "%s", prev);
				at += (int64_t)between(&r, 3, 150) * DAY + between(&r, -4 * 3600, 4 * 3600);
				edit(&r, t, &c);
				if (add_case(g, &ccap, t, topic, &c, &mv, &wv, at, matter, who, GEN_REPEAT, dv, &r))
					return -1;
			}
		}
		if (g->n > n) /* the last matter: cut to size, earliest first */
			g->n = first + (n - first);
		matter++;
	}
	qsort(g->c, g->n, sizeof g->c[0], by_time);
	g->matters = (size_t)matter;
	return 0;
}

void gen_free(struct gen_corpus *g)
{
	size_t i;

	for (i = 0; i < g->narena; i++)
		free(g->arena[i]);
	free(g->arena);
	free(g->c);
	free(g->p);
	memset(g, 0, sizeof *g);
}

/* ---- one fresh petition (registration benchmark) ------------------------------------------------- */

void gen_one(struct gen_rng *r, int64_t serial, struct gen_case *k, struct gen_person *p, char *title,
	     char *content, char *request, size_t cap)
{
	const struct div *dv = &divs[rnd(r, N_OF(divs))];
	int topic = rnd(r, gen_n_topics);
	const struct topic *t = &topics[topic];
	struct vals mv, wv;
	struct comp c;

	memset(k, 0, sizeof *k);
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s%s", PICK(r, surnames), PICK(r, given));
	gb11643(dv->code, serial, p->id_number);
	snprintf(p->phone, sizeof p->phone, "1%d%09lld", 3 + rnd(r, 7), (long long)((uint64_t)serial * 7919ull % 1000000000ull));
	p->division = dv->code;
	matter_vals(r, dv, (int64_t)(T0_DAY + SPAN_DAYS) * DAY, &mv);
	person_vals(r, p, &wv);
	compose(r, t, &c);
	render(t, &c, &mv, &wv, title, content, request, cap);
	k->topic = (uint8_t)topic;
	k->channel = (uint8_t)rnd(r, 8);
	k->division = dv->code;
	k->category = t->category;
	k->kind = t->kind;
	k->purpose = t->purpose;
	k->title = title;
	k->content = content;
	k->request = request;
}
