/**
 * Guangdong province reference data for the synthetic social-assistance record generator.
 *
 * Approximate reference data for generating synthetic records only — NOT an authoritative
 * register. Division codes follow the national administrative division codes as of the
 * 2020s; populations are 2020 census figures (10,000s, rounded); incomes, hazard exposures
 * and name/ethnicity weights are rough estimates chosen for plausibility.
 */

/** Region classes used for assistance standards: 1 = Guangzhou, Shenzhen; 2 = other core Pearl River Delta (Zhuhai, Foshan, Dongguan, Zhongshan); 3 = PRD periphery (Huizhou, Jiangmen, Zhaoqing); 4 = east, west and north Guangdong. */
export type RegionClass = 1 | 2 | 3 | 4;
export type Area = 'prd' | 'east' | 'west' | 'north';
export interface County {
  code: string;
  name: string;
  /** true for counties / county-level cities that are mostly rural, false for urban districts */
  rural: boolean;
}
export interface Prefecture {
  code: string; // e.g. '440100'
  name: string; // Chinese, e.g. '广州市'
  nameEn: string; // 'Guangzhou'
  area: Area;
  regionClass: RegionClass;
  /** relative resident population weight (use 2020 census populations in units of 10,000, rounded) */
  population: number;
  /** 0..1 exposure to typhoons (coastal west/east high: Zhanjiang, Maoming, Yangjiang, Shanwei, Shantou, Jieyang, Chaozhou, Jiangmen, Zhuhai high; inland north low) */
  typhoonExposure: number;
  /** 0..1 exposure to river floods / landslides (north and river basins high: Qingyuan, Shaoguan, Meizhou, Heyuan, Zhaoqing, Yunfu high) */
  floodExposure: number;
  /** average annual per-capita disposable income of residents in CNY, approximate 2024 figures (Shenzhen ~ 76000, Guangzhou ~ 80000, Meizhou ~ 30000 ...) */
  perCapitaIncome: number;
  counties: County[];
}

function c(code: string, name: string, rural: boolean): County {
  return { code, name, rural };
}

// Districts that were counties until recently (e.g. 梅县区, 电白区) are marked rural outside
// the PRD, since most of their population still lives in townships and villages.
export const PREFECTURES: readonly Prefecture[] = [
  {
    code: '440100', name: '广州市', nameEn: 'Guangzhou', area: 'prd', regionClass: 1,
    population: 1868, typhoonExposure: 0.45, floodExposure: 0.4, perCapitaIncome: 80000,
    counties: [
      c('440103', '荔湾区', false),
      c('440104', '越秀区', false),
      c('440105', '海珠区', false),
      c('440106', '天河区', false),
      c('440111', '白云区', false),
      c('440112', '黄埔区', false),
      c('440113', '番禺区', false),
      c('440114', '花都区', false),
      c('440115', '南沙区', false),
      c('440117', '从化区', false),
      c('440118', '增城区', false),
    ],
  },
  {
    code: '440200', name: '韶关市', nameEn: 'Shaoguan', area: 'north', regionClass: 4,
    population: 286, typhoonExposure: 0.1, floodExposure: 0.85, perCapitaIncome: 34000,
    counties: [
      c('440203', '武江区', false),
      c('440204', '浈江区', false),
      c('440205', '曲江区', true),
      c('440222', '始兴县', true),
      c('440224', '仁化县', true),
      c('440229', '翁源县', true),
      c('440232', '乳源瑶族自治县', true),
      c('440233', '新丰县', true),
      c('440281', '乐昌市', true),
      c('440282', '南雄市', true),
    ],
  },
  {
    code: '440300', name: '深圳市', nameEn: 'Shenzhen', area: 'prd', regionClass: 1,
    population: 1756, typhoonExposure: 0.6, floodExposure: 0.3, perCapitaIncome: 76000,
    // 大鹏新区 and 深汕特别合作区 are functional zones, not county-level divisions.
    counties: [
      c('440303', '罗湖区', false),
      c('440304', '福田区', false),
      c('440305', '南山区', false),
      c('440306', '宝安区', false),
      c('440307', '龙岗区', false),
      c('440308', '盐田区', false),
      c('440309', '龙华区', false),
      c('440310', '坪山区', false),
      c('440311', '光明区', false),
    ],
  },
  {
    code: '440400', name: '珠海市', nameEn: 'Zhuhai', area: 'prd', regionClass: 2,
    population: 244, typhoonExposure: 0.85, floodExposure: 0.3, perCapitaIncome: 70000,
    counties: [
      c('440402', '香洲区', false),
      c('440403', '斗门区', false),
      c('440404', '金湾区', false),
    ],
  },
  {
    code: '440500', name: '汕头市', nameEn: 'Shantou', area: 'east', regionClass: 4,
    population: 550, typhoonExposure: 0.8, floodExposure: 0.4, perCapitaIncome: 36000,
    counties: [
      c('440507', '龙湖区', false),
      c('440511', '金平区', false),
      c('440512', '濠江区', false),
      c('440513', '潮阳区', false),
      c('440514', '潮南区', false),
      c('440515', '澄海区', false),
      c('440523', '南澳县', true),
    ],
  },
  {
    code: '440600', name: '佛山市', nameEn: 'Foshan', area: 'prd', regionClass: 2,
    population: 950, typhoonExposure: 0.4, floodExposure: 0.45, perCapitaIncome: 70000,
    counties: [
      c('440604', '禅城区', false),
      c('440605', '南海区', false),
      c('440606', '顺德区', false),
      c('440607', '三水区', false),
      c('440608', '高明区', false),
    ],
  },
  {
    code: '440700', name: '江门市', nameEn: 'Jiangmen', area: 'prd', regionClass: 3,
    population: 480, typhoonExposure: 0.75, floodExposure: 0.45, perCapitaIncome: 44000,
    counties: [
      c('440703', '蓬江区', false),
      c('440704', '江海区', false),
      c('440705', '新会区', false),
      c('440781', '台山市', true),
      c('440783', '开平市', true),
      c('440784', '鹤山市', true),
      c('440785', '恩平市', true),
    ],
  },
  {
    code: '440800', name: '湛江市', nameEn: 'Zhanjiang', area: 'west', regionClass: 4,
    population: 698, typhoonExposure: 0.9, floodExposure: 0.35, perCapitaIncome: 33000,
    counties: [
      c('440802', '赤坎区', false),
      c('440803', '霞山区', false),
      c('440804', '坡头区', false),
      c('440811', '麻章区', false),
      c('440823', '遂溪县', true),
      c('440825', '徐闻县', true),
      c('440881', '廉江市', true),
      c('440882', '雷州市', true),
      c('440883', '吴川市', true),
    ],
  },
  {
    code: '440900', name: '茂名市', nameEn: 'Maoming', area: 'west', regionClass: 4,
    population: 617, typhoonExposure: 0.8, floodExposure: 0.5, perCapitaIncome: 33000,
    counties: [
      c('440902', '茂南区', false),
      c('440904', '电白区', true),
      c('440981', '高州市', true),
      c('440982', '化州市', true),
      c('440983', '信宜市', true),
    ],
  },
  {
    code: '441200', name: '肇庆市', nameEn: 'Zhaoqing', area: 'prd', regionClass: 3,
    population: 411, typhoonExposure: 0.25, floodExposure: 0.75, perCapitaIncome: 35000,
    counties: [
      c('441202', '端州区', false),
      c('441203', '鼎湖区', false),
      c('441204', '高要区', true),
      c('441223', '广宁县', true),
      c('441224', '怀集县', true),
      c('441225', '封开县', true),
      c('441226', '德庆县', true),
      c('441284', '四会市', true),
    ],
  },
  {
    code: '441300', name: '惠州市', nameEn: 'Huizhou', area: 'prd', regionClass: 3,
    population: 604, typhoonExposure: 0.55, floodExposure: 0.45, perCapitaIncome: 47000,
    counties: [
      c('441302', '惠城区', false),
      c('441303', '惠阳区', false),
      c('441322', '博罗县', true),
      c('441323', '惠东县', true),
      c('441324', '龙门县', true),
    ],
  },
  {
    code: '441400', name: '梅州市', nameEn: 'Meizhou', area: 'north', regionClass: 4,
    population: 387, typhoonExposure: 0.25, floodExposure: 0.8, perCapitaIncome: 30000,
    counties: [
      c('441402', '梅江区', false),
      c('441403', '梅县区', true),
      c('441422', '大埔县', true),
      c('441423', '丰顺县', true),
      c('441424', '五华县', true),
      c('441426', '平远县', true),
      c('441427', '蕉岭县', true),
      c('441481', '兴宁市', true),
    ],
  },
  {
    code: '441500', name: '汕尾市', nameEn: 'Shanwei', area: 'east', regionClass: 4,
    population: 267, typhoonExposure: 0.8, floodExposure: 0.45, perCapitaIncome: 32000,
    counties: [
      c('441502', '城区', false),
      c('441521', '海丰县', true),
      c('441523', '陆河县', true),
      c('441581', '陆丰市', true),
    ],
  },
  {
    code: '441600', name: '河源市', nameEn: 'Heyuan', area: 'north', regionClass: 4,
    population: 284, typhoonExposure: 0.15, floodExposure: 0.75, perCapitaIncome: 30000,
    counties: [
      c('441602', '源城区', false),
      c('441621', '紫金县', true),
      c('441622', '龙川县', true),
      c('441623', '连平县', true),
      c('441624', '和平县', true),
      c('441625', '东源县', true),
    ],
  },
  {
    code: '441700', name: '阳江市', nameEn: 'Yangjiang', area: 'west', regionClass: 4,
    population: 260, typhoonExposure: 0.85, floodExposure: 0.5, perCapitaIncome: 34000,
    counties: [
      c('441702', '江城区', false),
      c('441704', '阳东区', true),
      c('441721', '阳西县', true),
      c('441781', '阳春市', true),
    ],
  },
  {
    code: '441800', name: '清远市', nameEn: 'Qingyuan', area: 'north', regionClass: 4,
    population: 397, typhoonExposure: 0.1, floodExposure: 0.85, perCapitaIncome: 33000,
    counties: [
      c('441802', '清城区', false),
      c('441803', '清新区', true),
      c('441821', '佛冈县', true),
      c('441823', '阳山县', true),
      c('441825', '连山壮族瑶族自治县', true),
      c('441826', '连南瑶族自治县', true),
      c('441881', '英德市', true),
      c('441882', '连州市', true),
    ],
  },
  {
    code: '441900', name: '东莞市', nameEn: 'Dongguan', area: 'prd', regionClass: 2,
    population: 1047, typhoonExposure: 0.45, floodExposure: 0.35, perCapitaIncome: 70000,
    // No county level: towns report directly to the city, so one pseudo-county stands in.
    counties: [c('441900', '东莞市', false)],
  },
  {
    code: '442000', name: '中山市', nameEn: 'Zhongshan', area: 'prd', regionClass: 2,
    population: 442, typhoonExposure: 0.6, floodExposure: 0.4, perCapitaIncome: 63000,
    // No county level: towns report directly to the city, so one pseudo-county stands in.
    counties: [c('442000', '中山市', false)],
  },
  {
    code: '445100', name: '潮州市', nameEn: 'Chaozhou', area: 'east', regionClass: 4,
    population: 257, typhoonExposure: 0.7, floodExposure: 0.45, perCapitaIncome: 31000,
    counties: [
      c('445102', '湘桥区', false),
      c('445103', '潮安区', true),
      c('445122', '饶平县', true),
    ],
  },
  {
    code: '445200', name: '揭阳市', nameEn: 'Jieyang', area: 'east', regionClass: 4,
    population: 558, typhoonExposure: 0.7, floodExposure: 0.5, perCapitaIncome: 29000,
    counties: [
      c('445202', '榕城区', false),
      c('445203', '揭东区', true),
      c('445222', '揭西县', true),
      c('445224', '惠来县', true),
      c('445281', '普宁市', true),
    ],
  },
  {
    code: '445300', name: '云浮市', nameEn: 'Yunfu', area: 'north', regionClass: 4,
    population: 238, typhoonExposure: 0.2, floodExposure: 0.7, perCapitaIncome: 30000,
    counties: [
      c('445302', '云城区', false),
      c('445303', '云安区', true),
      c('445321', '新兴县', true),
      c('445322', '郁南县', true),
      c('445381', '罗定市', true),
    ],
  },
];

export const PREFECTURE_BY_CODE: ReadonlyMap<string, Prefecture> = new Map(
  PREFECTURES.map((p) => [p.code, p] as const),
);

export const COUNTY_BY_CODE: ReadonlyMap<string, { county: County; prefecture: Prefecture }> = new Map(
  PREFECTURES.flatMap((prefecture) =>
    prefecture.counties.map((county) => [county.code, { county, prefecture }] as const),
  ),
);

/** Common Chinese surnames with relative frequency weights (at least 60, frequency-ordered: 陈 李 黄 张 梁 林 刘 吴 罗 杨 ... Guangdong's distribution, where 陈 and 李 and 黄 lead) */
// Weights are rough per-mille shares of Guangdong's population; the tail is truncated.
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['陈', 100], ['李', 78], ['黄', 70], ['张', 50], ['梁', 45],
  ['林', 44], ['刘', 40], ['吴', 33], ['罗', 30], ['杨', 28],
  ['郑', 25], ['何', 24], ['钟', 22], ['谢', 20], ['周', 19],
  ['曾', 18], ['邓', 17], ['蔡', 16], ['叶', 16], ['许', 15],
  ['王', 15], ['冯', 14], ['苏', 13], ['卢', 13], ['赖', 12],
  ['朱', 12], ['潘', 12], ['莫', 11], ['彭', 11], ['肖', 11],
  ['徐', 10], ['余', 10], ['胡', 9], ['温', 9], ['邱', 9],
  ['谭', 9], ['廖', 9], ['江', 8], ['方', 8], ['庄', 7],
  ['麦', 7], ['杜', 6], ['关', 6], ['孙', 6], ['马', 6],
  ['袁', 6], ['伍', 6], ['严', 5], ['古', 5], ['戴', 5],
  ['欧', 5], ['詹', 5], ['赵', 5], ['高', 5], ['姚', 5],
  ['邹', 4], ['汤', 4], ['龙', 4], ['韦', 4], ['凌', 4],
  ['丘', 4], ['翁', 4], ['柯', 4], ['沈', 3], ['傅', 3],
  ['骆', 3], ['植', 3], ['冼', 3], ['邝', 3], ['区', 3],
  ['甘', 3], ['利', 3], ['卓', 3], ['魏', 3], ['易', 3],
  ['覃', 2], ['池', 2], ['官', 2], ['梅', 2], ['邵', 2],
];

/** Characters commonly used in given names, split by gender lean (at least 80 each; include neutral ones in both lists) */
export const GIVEN_NAME_CHARS_MALE: readonly string[] = [
  '伟', '强', '军', '建', '国', '志', '勇', '杰', '俊', '峰',
  '斌', '辉', '涛', '鹏', '浩', '宇', '健', '东', '波', '锋',
  '刚', '德', '荣', '豪', '彬', '超', '亮', '振', '忠', '兴',
  '富', '贵', '发', '财', '祥', '培', '基', '权', '耀', '锦',
  '炳', '坤', '泽', '鸿', '森', '博', '瑞', '轩', '晨', '睿',
  '铭', '航', '凯', '旭', '昌', '成', '卫', '光', '金', '添',
  '灿', '威', '龙', '源', '达', '锐', '哲', '翔', '恒', '炜',
  '智', '雄', '标', '胜', '天', '景', '腾', '伦', '汉', '棠',
  // gender-neutral
  '文', '华', '明', '嘉', '子', '晓', '思', '佳', '安', '春',
  '清', '宁', '林', '海', '永', '秋',
];

export const GIVEN_NAME_CHARS_FEMALE: readonly string[] = [
  '丽', '芳', '敏', '静', '燕', '娟', '霞', '玲', '婷', '红',
  '艳', '萍', '慧', '秀', '英', '梅', '琳', '洁', '莉', '兰',
  '凤', '珍', '玉', '娇', '雪', '月', '丹', '妹', '娣', '嫦',
  '妍', '琼', '翠', '彩', '菊', '桂', '莲', '爱', '美', '倩',
  '雯', '颖', '琪', '欣', '怡', '悦', '雅', '诗', '淑', '惠',
  '晶', '璐', '瑶', '婉', '蓉', '薇', '佩', '雨', '晴', '彤',
  '楚', '恩', '可', '心', '琦', '宝', '珊', '露', '婵', '冰',
  '银', '艺', '媚', '好', '妙', '芝', '芬', '碧', '蕾', '馨',
  // gender-neutral
  '文', '华', '明', '嘉', '子', '晓', '思', '佳', '安', '春',
  '清', '宁', '林', '海', '永', '秋',
];

/** Ethnic groups present in Guangdong with weights: 汉族 dominant (~98%), 壮族, 瑶族, 土家族, 苗族, 畲族, 侗族, 回族, 满族 ... */
// Weights are per-mille; minority shares lean towards the resident migrant-worker population
// (壮族, 土家族, 苗族) plus the indigenous 瑶族 / 畲族 communities in the north and east.
export const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['汉族', 980],
  ['壮族', 7],
  ['土家族', 3],
  ['瑶族', 2.5],
  ['苗族', 2.5],
  ['侗族', 1.5],
  ['布依族', 0.8],
  ['彝族', 0.5],
  ['回族', 0.4],
  ['满族', 0.4],
  ['畲族', 0.3],
  ['白族', 0.3],
  ['蒙古族', 0.2],
  ['黎族', 0.2],
  ['仡佬族', 0.2],
  ['水族', 0.1],
  ['朝鲜族', 0.1],
];
