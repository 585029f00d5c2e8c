// The words of the demo company's quality loop (seed/quality.ts), each in Chinese and English:
// the records keep one text per field, so each text carries both languages, as the company writes
// its bilingual records.
const both = (zh: string, en: string) => `${zh}\n${en}`;

export const LEAK = {
  complainant: {
    name: '苏州市第一人民医院 心内科病房 护士长 张红 / Zhang Hong, head nurse, Cardiology ward, Suzhou First People’s Hospital',
    address: '江苏省苏州市姑苏区十梓街 188 号 / 188 Shizi Street, Gusu District, Suzhou, Jiangsu',
    phone: '+86 512 6522 3637',
  },
  nature: both(
    '输液过程中一次性使用输液器滴斗与导管粘接处渗漏,药液外漏且进入空气;护士发现时患者已出现输液中断和局部肿胀,经医生处置(重新建立静脉通路并对症治疗)后好转。',
    'During an infusion the set leaked at the bond between the drip chamber and the tubing: fluid escaped and air entered. When the nurse noticed, the infusion had stopped and the site was swollen; the patient recovered after medical intervention (new IV access and treatment).',
  ),
  reportable: both(
    '患者需要医疗干预以避免永久性伤害,属于《医疗器械不良事件监测和再评价管理办法》规定的严重伤害;事件发生在中国,应自知悉之日起 20 日内报告(第二十五条)。',
    'The patient needed medical intervention to prevent permanent impairment: a serious injury under the NMPA Measures for adverse event monitoring; the event occurred in China, so it is reported within 20 days of awareness (Art. 25).',
  ),
  ncDescription: both(
    '投诉批次输液器滴斗粘接处渗漏。对库存全部剩余数量进行 100% 气密性复检(50 kPa,压降 ≤ 0.5 kPa)。',
    'Leak at the drip-chamber bond of the complained lot. The whole remaining stock re-tested 100 % for leaks (50 kPa, decay ≤ 0.5 kPa).',
  ),
  containment: both(
    '该批次全部库存隔离并冻结;通知已收货的医院暂停使用该批次,并用其他批次替换。',
    'All stock of the lot segregated and held; the hospitals that received the lot told to stop using it and given sets of another lot.',
  ),
  scrap: both(
    '复检中 36 套压降超过 0.5 kPa,判定不合格,报废。',
    '36 sets exceeded 0.5 kPa decay at the re-test: nonconforming, scrapped.',
  ),
  concession: both(
    '其余各套在已校准的 1 号气密性检测仪上 100% 复检,压降均 ≤ 0.2 kPa,符合 GB 8368 / ISO 8536-4 的密封性要求;准予让步使用(照常使用)。',
    'The remaining sets were re-tested 100 % on the calibrated leak tester no. 1 with decay ≤ 0.2 kPa, meeting the leak tightness requirement of GB 8368 / ISO 8536-4; released under concession (use as is).',
  ),
  ncClosure: both('所有受影响数量已处置。', 'All affected quantity disposed.'),
  releaseHold: both(
    '不合格品审理已完成:不合格品报废,其余让步接收,解除冻结。',
    'MRB done: the failures scrapped, the rest accepted under concession; hold lifted.',
  ),
  findings: both(
    '对投诉退回的实物和同批次留样进行气密性测试:实物在滴斗粘接处渗漏;留样 20 套中 3 套渗漏。生产记录显示该批次在气密性检测中出现偏差(压降 0.62 kPa),当时判定为夹具泄漏,复检未验证夹具密封。',
    'The returned set and retained samples of the lot leak-tested: the returned set leaks at the drip-chamber bond; 3 of 20 retained sets leak. The batch record shows a leak-test deviation (0.62 kPa decay) judged a fixture leak; the retest did not verify the fixture seal.',
  ),
  capaTitle: both('输液器滴斗粘接处渗漏', 'Infusion set leak at the drip-chamber bond'),
  problem: both(
    '已放行批次的输液器在临床使用中滴斗粘接处渗漏,导致严重伤害;留样复检证实同批次存在渗漏。',
    'Sets of a released lot leaked at the drip-chamber bond in clinical use, causing a serious injury; retained samples of the lot confirm the leak.',
  ),
  decide: both(
    '严重度 4(严重伤害)× 发生度 2:需要纠正措施(ISO 13485:2016 8.5.2)。',
    'Severity 4 (serious injury) × occurrence 2: corrective action needed (ISO 13485:2016 8.5.2).',
  ),
  fishbone: {
    man: [
      both(
        '操作员将气密性偏差判定为夹具泄漏,未经验证',
        'Operator judged the leak deviation a fixture leak without verifying it',
      ),
    ],
    machine: [both('2 号气密性检测仪校准过期', 'Leak tester no. 2 past its calibration due date')],
    method: [
      both(
        '作业指导书未规定复检前用标准漏孔验证夹具密封',
        'The work instruction does not require a reference-leak check of the fixture seal before a retest',
      ),
    ],
    material: [both('滴斗与导管的 UV 胶粘接强度波动', 'Variable UV-adhesive bond between drip chamber and tubing')],
    measurement: [
      both('复检抽样仅 32 套,不足以发现间歇性渗漏', 'A retest of only 32 sets cannot find an intermittent leak'),
    ],
    environment: [],
  },
  rootCause: both(
    '根本原因:气密性检测作业指导书未要求在复检前用标准漏孔验证夹具密封,导致真实的产品渗漏被误判为夹具泄漏而放行。',
    'Root cause: the leak-test work instruction does not require a reference-leak check of the fixture before a retest, so a real product leak was judged a fixture leak and released.',
  ),
  taskWi: both(
    '修订输液器气密性检测作业指导书:复检前用标准漏孔验证夹具密封;偏差复检为 100% 检验。',
    'Revise the infusion set leak test work instruction: verify the fixture seal with a reference leak before any retest; a deviation retest is 100 %.',
  ),
  taskFixture: both(
    '2 号气密性检测仪停用并重新校准;两台检测仪增加每班开机标准漏孔点检。',
    'Take leak tester no. 2 out of use and recalibrate it; add a reference-leak check at the start of each shift on both testers.',
  ),
  evidenceWi: (number: string, revision: string) =>
    both(
      `${number} 版本 ${revision} 已审核、批准并生效;操作员已完成培训。`,
      `${number} revision ${revision} reviewed, approved and effective; the operators trained on it.`,
    ),
  evidenceFixture: both(
    '2 号检测仪已挂停用标识并送校准;每班点检记录表已投入使用。',
    'Leak tester no. 2 tagged out of use and sent for calibration; the shift check record is in use.',
  ),
  safety: both(
    '新增的夹具验证和 100% 复检不改变产品设计和检验准则,不降低器械的安全和性能。',
    'The added fixture check and 100 % retest change neither the design nor the acceptance criteria: no adverse effect on the device’s safety or performance.',
  ),
  compliance: both(
    '注册产品技术要求和 GB 8368 / ISO 8536-4 的要求不变;作业指导书按文件控制程序变更。',
    'Registered product technical requirements and GB 8368 / ISO 8536-4 unchanged; the work instruction changed under document control.',
  ),
  effectiveness: both(
    '变更后生产的批次 3 个月内无渗漏投诉,气密性检测偏差均经夹具验证。',
    'No leak complaint on lots made after the change for 3 months, and every leak-test deviation checked against the fixture.',
  ),
};

export const OVERDUE = {
  title: both('洁净区更衣程序未执行', 'Clean-room gowning procedure not followed'),
  problem: both(
    '内审 IA-2026-04 发现:洁净区入口两名员工未按程序更衣,更衣记录缺失。',
    'Internal audit IA-2026-04: two people entered the clean room without gowning as the procedure requires; the gowning log is missing entries.',
  ),
  decide: both(
    '严重度 2 × 发生度 3:程序执行问题,需要纠正措施。',
    'Severity 2 × occurrence 3: a procedure not followed, corrective action needed.',
  ),
  task: both(
    '洁净区入口增设更衣核对和门禁记录,对生产人员进行再培训。',
    'Add a gowning check and door log at the clean-room entrance; retrain the production staff.',
  ),
};

export const NOT_REPORTABLE = {
  complainant: {
    name: '杭州市中医院 设备科 李明 / Li Ming, Equipment dept., Hangzhou Hospital of TCM',
    address: '浙江省杭州市西湖区体育场路 453 号 / 453 Tiyuchang Road, Xihu District, Hangzhou, Zhejiang',
    phone: '+86 571 8506 8001',
  },
  nature: both(
    '输液泵到货时显示屏保护窗有一道划痕;开机自检通过,未用于患者。',
    'Infusion pump arrived with a scratch on the display window; it passed its power-on self-test and was not used on a patient.',
  ),
  rationale: both(
    '无死亡、无伤害,也不是可能导致严重伤害或死亡的故障:外观划痕,器械功能符合规格,未用于患者。依据《医疗器械不良事件监测和再评价管理办法》不属于应报告的不良事件。',
    'No death or injury, and no malfunction that could lead to serious injury or death: a cosmetic scratch, the device works to specification and was not used on a patient. Not a reportable adverse event under the NMPA Measures.',
  ),
  correction: both('更换显示屏保护窗。', 'Display window replaced.'),
  reply: both('已致电设备科说明处理结果并更换保护窗。', 'Equipment dept. called and told of the replacement.'),
  noInvestigation: both(
    '外观划痕,出厂检验记录显示包装前无划痕,判定为运输损伤;不涉及器械功能和安全,无需调查。',
    'A cosmetic scratch; the final inspection record shows none before packing, so transport damage. No bearing on function or safety: no investigation needed.',
  ),
};
