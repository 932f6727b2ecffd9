// A small zh/en dictionary. Server texts come in both languages ({en, zh}, or "English / 中文"); pick() keeps the reader's.
const dict = {
  zh: {
    title: '网格化疫情防控平台', public: '公众', map: '五色图', inbox: '网格工作台', replay: '回放审计', signIn: '登录', signOut: '退出',
    lang: 'English', role: '角色', county: '县（市、区）', cells: '网格编号（逗号分隔）', getToken: '获取开发令牌', token: '身份令牌（Bearer）',
    useToken: '使用令牌', devPicker: '本地开发：选择角色与辖区', idpToken: '请粘贴身份提供方签发的令牌', noView: '该角色没有页面',
    // sign-in (OpenID Connect)
    signInWith: '通过统一身份认证登录', signInWithNote: '将前往 {provider} 登录，完成后自动返回本页。', forOperators: '运维人员：使用身份令牌登录',
    providerUnreachable: '无法连接统一身份认证：', signOutWaiting: '还有 {n} 条记录尚未发送，退出后将从本机删除。仍要退出吗？',
    ruleSet: '规则', date: '日期', 'resumption-index': '企业复工电力指数', countsPublished: '各色县数（红/橙/黄/蓝/绿）', publishedIn2020: '2020年省卫健委公布',
    legend: '图例', source: '来源', counties: '个县', asOf: '截至', live: '实时', connected: '已连接', reconnecting: '连接中断，正在重连…',
    reconnected: '已重新连接，已补齐 {n} 条提醒', offline: '连接已断开，正在重试', selectCounty: '点击地图上的县查看详情',
    totals: '概况', confirmedTotal: '累计确诊', newLast14Days: '14天新增', newLast7Days: '7天新增', clustersLast14Days: '14天聚集性疫情',
    daysSinceLastNewCase: '连续无新增天数', localShare: '本地病例占比', linkedShareLast14Days: '14天新增中来源明确占比', active: '在治', travellers: '来返人员', population: '人口',
    measuresInForce: '现行防控措施', colourUnder: '各规则下的颜色及理由', busiestCells: '网格（最繁忙在前）', overdue: '逾期未处理提醒',
    none: '无', cell: '网格', confirmed: '确诊', myCells: '我的网格', alerts: '提醒（最新在前）', ack: '确认', acked: '已确认', forOfficials: '供知悉，由县级负责人确认',
    note: '备注', due: '截止', raised: '发出', visit: '待上门核查（人员与任务）', checkins: '今日待打卡（隔离中）', daysMissed: '已漏{n}天', households: '户',
    from: '来自', arrived: '到达', quarantine: '隔离', home: '居家', central: '集中', timeline: '事件时间线', actor: '操作人',
    kind: '事件', occurred: '发生', recorded: '记录', explain: '颜色解释', verify: '校验链', verifyOk: '完整：已校验 {n} 个事件',
    verifyBroken: '发现 {n} 处断裂', moment: '时刻', knownThen: '按当时已知', since: '自', before: '此前', movedBy: '变化原因',
    inputs: '输入', reasons: '理由', loading: '加载中…', overdueAsOf: '服务器时间', noPersonalData: '本页不含任何个人信息。',
    publicNote: '按2020年每日发布的格式显示：日期、各县颜色与各色县数。', rulesSwitch: '切换规则', open: '待处理', more: '更多',
    charts: '图表', cases: '病例一览表', province: '全省', fromDay: '从', toDay: '至', show: '显示', any: '全部',
    epicurve: '流行曲线（每日新增，按类型）', curveBy: '按', 'by.report': '报告日期', 'by.onset': '发病日期', mean7: '7日均值（合计）',
    withoutOnset: '其中 {n} 例无发病日期，未计入', suspected: '疑似', asymptomatic: '无症状感染者',
    rt: '有效再生数 Rt', rtMean: 'Rt（后验均值）', rtInterval: '95% 可信区间', rtCases: '窗口内确诊', rtRank: '排名', rtRanking: '各县 Rt 排名（有足够病例的县）',
    rtTooFew: '窗口内仅 {n} 例（少于 {min} 例），不作估计', rtNoEstimate: '最近一个窗口内确诊少于 {min} 例：不作估计，也不作预测',
    rtProjection: '预测（按 {day} 的 Rt {rt} 以更新方程外推，反映当前趋势，不代表防控措施的效果）：未来 7 天约新增 {n} 例（{lo}–{hi}）',
    rtMethod: '方法：Cori 等 2013（与 EpiEstim 一致），窗口 {w} 天；序列间隔均值 {m} 天、标准差 {sd} 天（{src}）；先验均值 {pm}、标准差 {psd}；窗口内少于 {min} 例不作估计。版本 {v}',
    recordVisit: '登记上门核查', outcome: '结果', 'outcome.found': '见到本人', 'outcome.not-home': '不在家', 'outcome.moved-away': '已搬离',
    'outcome.refused': '拒绝配合', save: '提交', visitRecorded: '已登记上门核查（{outcome}），编号 {id}', recordCheckIn: '登记体温打卡',
    temperature: '体温（°C）', symptomsList: '症状（用逗号分隔）', checkInRecorded: '打卡已记录，健康码：{colour}',
    rtAbove: '明显高于 1', rtBelow: '明显低于 1', rtWithout: '另有 {n} 个县在 {w} 天窗口内确诊少于 {min} 例，不作估计、不参与排名',
    colourCounts: '各色县数（逐日）', colourStrip: '各县逐日颜色', publishedFiveOnly: '2020年公布的是五色图各色县数，此规则下不标注', resumptionHistory: '复工指数（逐日，按行业）', resumptionTotal: '合计',
    resumptionNote: '指数 = 100 ×（复工率 + 复产率）/ 2', noReadings: '该时段无用电数据',
    caseId: '病例编号', caseKind: '类型', status: '状态', local: '本地', onset: '发病', cluster: '聚集性疫情', infectedBy: '传染源病例',
    linked: '来源明确', idMasked: '身份证号（脱敏）', yes: '是', no: '否', perPage: '每页', nextPage: '下一页', downloadCsv: '下载 CSV',
    casesShown: '共 {n} 例', casesShownMore: '已显示 {n} 例，还有更多',
    'status.active': '在治', 'status.hospitalised': '住院', 'status.recovered': '治愈', 'status.died': '死亡', 'status.ruled-out': '排除',
    closedCells: '封闭网格', controlledCells: '管控网格', 'control.closed': '封闭管理', 'control.controlled': '管控', controlUntil: '至', closedCellsByCounty: '各县封闭网格数', cellsUnderControl: '封闭、管控中的网格', noClosedCells: '目前没有封闭的网格',
    red: '红', orange: '橙', yellow: '黄', blue: '蓝', green: '绿',
    'level.high': '高风险', 'level.fairly-high': '较高风险', 'level.medium': '中风险', 'level.fairly-low': '较低风险', 'level.low': '低风险',
    'role.grid-worker': '网格员', 'role.county-official': '县级干部', 'role.province-official': '省级干部', 'role.auditor': '审计',
    'role.admin': '管理员', 'role.ingest': '数据接入',
    // field app: the outbox and the forms at the door
    outbox: '待发送（离线时先存在手机上）', outboxEmpty: '没有待发送的记录', 'outbox.waiting': '等待发送', 'outbox.sent': '已送达', 'outbox.refused': '被拒绝',
    dismiss: '知道了', queued: '已存入待发送，联网后自动发送', queuedItem: '已保存：{label}（联网后按顺序发送）',
    lastKnown: '离线：显示 {time} 时的最后状态', nothingKept: '离线：本机尚未保存任何数据，联网后显示', atTheDoor: '上门登记', registerTraveller: '登记来返人员', reportSuspected: '报告疑似病例',
    travellerRecorded: '来返人员已登记，健康码：{code}', suspectedRecorded: '疑似病例已报告', idNumber: '居民身份证号', personName: '姓名', phone: '手机号码',
    originArea: '来自地区', originRisk: '来源地风险', 'risk.high': '高', 'risk.medium': '中', 'risk.low': '低', mode: '交通方式',
    'mode.train': '火车', 'mode.car': '自驾', 'mode.bus': '客车', 'mode.flight': '飞机', 'mode.other': '其他', localInfection: '本地感染',
    'id.required': '请填写身份证号', 'id.length': '身份证号应为18位', 'id.characters': '前17位应为数字，末位为数字或X', 'id.birth': '第7–14位应为真实的出生日期',
    'id.check': '校验位不符（GB 11643）：号码有误，请核对',
  },
  en: {
    title: 'Grid epidemic control', public: 'Public', map: 'Five-colour map', inbox: 'Grid inbox', replay: 'Replay', signIn: 'Sign in', signOut: 'Sign out',
    lang: '中文', role: 'Role', county: 'County', cells: 'Cell ids (comma-separated)', getToken: 'Get a development token', token: 'Bearer token',
    useToken: 'Use token', devPicker: 'Local profile: pick a role and jurisdiction', idpToken: "Paste a token from your organisation's identity provider", noView: 'This role has no view',
    // sign-in (OpenID Connect)
    signInWith: 'Sign in with {provider}', signInWithNote: 'You sign in at {provider} and come back here.', forOperators: 'For operators: sign in with a bearer token',
    providerUnreachable: 'The sign-in provider could not be reached:', signOutWaiting: '{n} item(s) not sent yet will be deleted from this phone if you sign out. Sign out anyway?',
    ruleSet: 'Rule set', date: 'Date', 'resumption-index': 'Enterprise resumption electricity index', countsPublished: 'Counties per colour (red/orange/yellow/blue/green)', publishedIn2020: 'Published by the province in 2020',
    legend: 'Legend', source: 'Source', counties: 'counties', asOf: 'As of', live: 'Live', connected: 'Connected', reconnecting: 'Connection lost, reconnecting…',
    reconnected: 'Reconnected; caught up {n} alerts', offline: 'Disconnected, retrying', selectCounty: 'Click a county on the map for its details',
    totals: 'Totals', confirmedTotal: 'Confirmed (total)', newLast14Days: 'New in 14 days', newLast7Days: 'New in 7 days', clustersLast14Days: 'Clusters in 14 days',
    daysSinceLastNewCase: 'Days since last new case', localShare: 'Local share', linkedShareLast14Days: 'New in 14 days with a known source', active: 'Active', travellers: 'Travellers', population: 'Population',
    measuresInForce: 'Measures in force', colourUnder: 'Colour under each rule set, with reasons', busiestCells: 'Cells (busiest first)', overdue: 'Overdue alerts',
    none: 'None', cell: 'Cell', confirmed: 'confirmed', myCells: 'My cells', alerts: 'Alerts (newest first)', ack: 'Acknowledge', acked: 'Acknowledged', forOfficials: 'For information: the county officials acknowledge it',
    note: 'Note', due: 'Due', raised: 'Raised', visit: 'To visit (travellers and tasks)', checkins: 'Check-ins due today (under quarantine)', daysMissed: '{n} day(s) missed', households: 'households',
    from: 'From', arrived: 'Arrived', quarantine: 'Quarantine', home: 'home', central: 'central', timeline: 'Event timeline', actor: 'Actor',
    kind: 'Event', occurred: 'Occurred', recorded: 'Recorded', explain: 'Why this colour', verify: 'Verify chain', verifyOk: 'Intact: {n} events checked',
    verifyBroken: '{n} breaks found', moment: 'Moment', knownThen: 'As known then', since: 'Since', before: 'Before', movedBy: 'Moved by',
    inputs: 'Inputs', reasons: 'Reasons', loading: 'Loading…', overdueAsOf: 'Server time', noPersonalData: 'This page holds no personal data.',
    publicNote: 'As the province published it daily in 2020: the date, every county’s colour and the counts per colour.', rulesSwitch: 'Switch rule set', open: 'open', more: 'More',
    charts: 'Charts', cases: 'Line list', province: 'Province', fromDay: 'From', toDay: 'To', show: 'Show', any: 'Any',
    epicurve: 'Epidemic curve (new cases per day, by kind)', curveBy: 'By', 'by.report': 'day reported', 'by.onset': 'day of onset', mean7: '7-day mean (all kinds)',
    withoutOnset: '{n} case(s) without an onset date are not on it', suspected: 'suspected', asymptomatic: 'asymptomatic',
    rt: 'Reproduction number Rt', rtMean: 'Rt (posterior mean)', rtInterval: '95 % credible interval', rtCases: 'confirmed in window', rtRank: 'Rank',
    rtRanking: 'Counties by Rt (those with enough cases)', rtTooFew: 'only {n} case(s) in the window (fewer than {min}): no estimate',
    rtNoEstimate: 'Fewer than {min} confirmed cases in the latest window: no estimate and no projection',
    rtProjection: 'Projection (the renewal equation at the Rt of {day}, {rt}: the present trend, not a forecast of what measures will do): about {n} new cases in the next 7 days ({lo}–{hi})',
    rtMethod: 'Method: Cori et al. 2013 (as EpiEstim), window {w} days; serial interval mean {m} days, sd {sd} ({src}); prior mean {pm}, sd {psd}; no estimate with fewer than {min} cases in the window. Version {v}',
    recordVisit: 'Record the visit', outcome: 'Outcome', 'outcome.found': 'found', 'outcome.not-home': 'not at home', 'outcome.moved-away': 'moved away',
    'outcome.refused': 'refused', save: 'Save', visitRecorded: 'Visit recorded ({outcome}), id {id}', recordCheckIn: 'Record a check-in',
    temperature: 'Temperature (°C)', symptomsList: 'Symptoms (comma-separated)', checkInRecorded: 'Check-in recorded; health code: {colour}',
    rtAbove: 'clearly above 1', rtBelow: 'clearly below 1', rtWithout: '{n} more counties had fewer than {min} confirmed cases in the {w}-day window: no estimate, not ranked',
    colourCounts: 'Counties per colour, day by day', colourStrip: 'Each county’s colour, day by day', publishedFiveOnly: 'The counts published in 2020 are of the five-colour map: not marked under this rule set', resumptionHistory: 'Resumption index by day and industry', resumptionTotal: 'All industries',
    resumptionNote: 'Index = 100 × (resumption rate + production rate) / 2', noReadings: 'No electricity readings in these days',
    caseId: 'Case', caseKind: 'Kind', status: 'Status', local: 'Local', onset: 'Onset', cluster: 'Cluster', infectedBy: 'Infected by',
    linked: 'Source known', idMasked: 'ID (masked)', yes: 'yes', no: 'no', perPage: 'Per page', nextPage: 'Next page', downloadCsv: 'Download CSV',
    casesShown: '{n} case(s)', casesShownMore: '{n} case(s) shown, more to come',
    'status.active': 'active', 'status.hospitalised': 'hospitalised', 'status.recovered': 'recovered', 'status.died': 'died', 'status.ruled-out': 'ruled out',
    closedCells: 'Closed cells', controlledCells: 'Controlled cells', 'control.closed': 'Closed', 'control.controlled': 'Under control', controlUntil: 'until', closedCellsByCounty: 'Closed cells per county', cellsUnderControl: 'Cells closed or under control', noClosedCells: 'No cell is closed',
    red: 'red', orange: 'orange', yellow: 'yellow', blue: 'blue', green: 'green',
    'level.high': 'high risk', 'level.fairly-high': 'fairly high risk', 'level.medium': 'medium risk', 'level.fairly-low': 'fairly low risk', 'level.low': 'low risk',
    'role.grid-worker': 'Grid worker', 'role.county-official': 'County official', 'role.province-official': 'Province official', 'role.auditor': 'Auditor',
    'role.admin': 'Admin', 'role.ingest': 'Ingest',
    // field app: the outbox and the forms at the door
    outbox: 'Outbox (kept on the phone while offline)', outboxEmpty: 'Nothing waiting to be sent', 'outbox.waiting': 'waiting', 'outbox.sent': 'sent', 'outbox.refused': 'refused',
    dismiss: 'Dismiss', queued: 'In the outbox: sent when the network returns', queuedItem: 'Saved: {label} (sent in order when online)',
    lastKnown: 'Offline: last known state of {time}', nothingKept: 'Offline: nothing kept on this phone yet; shown once online', atTheDoor: 'At the door', registerTraveller: 'Register a traveller', reportSuspected: 'Report a suspected case',
    travellerRecorded: 'Traveller registered, health code: {code}', suspectedRecorded: 'Suspected case reported', idNumber: 'Resident identity number', personName: 'Name', phone: 'Mobile phone',
    originArea: 'Coming from', originRisk: 'Risk of origin', 'risk.high': 'high', 'risk.medium': 'medium', 'risk.low': 'low', mode: 'Travelled by',
    'mode.train': 'train', 'mode.car': 'car', 'mode.bus': 'coach', 'mode.flight': 'flight', 'mode.other': 'other', localInfection: 'Infected locally',
    'id.required': 'The identity number is required', 'id.length': 'An identity number has 18 characters', 'id.characters': 'The first 17 characters are digits, the last a digit or X',
    'id.birth': 'Characters 7–14 must be a real birth date', 'id.check': 'The check character does not match (GB 11643): the number is mistyped',
  },
};

let lang = localStorage.getItem('epigrid.lang') || (navigator.language.startsWith('zh') ? 'zh' : 'en');
const listeners = new Set();

export const currentLang = () => lang;
export function setLang(next) {
  lang = next;
  localStorage.setItem('epigrid.lang', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach(f => f());
}
export const onLangChange = f => { listeners.add(f); return () => listeners.delete(f); };

export function t(key, vars = {}) {
  const text = dict[lang][key] ?? dict.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');
}

/** A county's (or city's) name in the reader's language. */
export const nameOf = c => (lang === 'zh' ? c.nameZh : c.nameEn);

/**
 * A server text in the reader's language: `{en, zh}` as the server sends alerts' `text`, or, for texts that come as one
 * "English / 中文" string (a cell's name as registered), the reader's half of it.
 */
export function pick(text) {
  if (text && typeof text === 'object') return (lang === 'zh' ? text.zh : text.en) ?? text.en ?? '';
  const parts = String(text ?? '').split(' / ');
  return parts.length === 2 ? (lang === 'zh' ? parts[1] : parts[0]) : text;
}

/** A time in the province's local time (UTC+8 unless the server says otherwise). */
export function localTime(iso, offsetMinutes = 480, withDate = true) {
  if (!iso) return '';
  const d = new Date(new Date(iso).getTime() + offsetMinutes * 60000).toISOString();
  return withDate ? `${d.slice(0, 10)} ${d.slice(11, 16)}` : d.slice(11, 16);
}
export const localDate = (iso, offsetMinutes = 480) => localTime(iso, offsetMinutes).slice(0, 10);
