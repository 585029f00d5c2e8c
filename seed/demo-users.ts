// The demo company's people: 康健医疗器械有限公司 / Kangjian Medical Devices Co., Ltd., a maker
// of sterile single-use infusion sets (lot controlled) and infusion pumps (serialized).
export const DEMO_PASSWORD = process.env.PROVENANT_DEMO_PASSWORD || 'Provenant-demo-2026';

export interface DemoUser {
  username: string;
  fullName: string;
  email: string;
  roles: string[];
  department: string;
}

export const DEMO_USERS: DemoUser[] = [
  {
    username: 'admin',
    fullName: '赵敏 Zhao Min',
    email: 'admin@kangjian.example',
    roles: ['administrator'],
    department: 'IT',
  },
  {
    username: 'qa.manager',
    fullName: '李伟 Li Wei',
    email: 'li.wei@kangjian.example',
    roles: ['qa_manager'],
    department: 'QA',
  },
  {
    username: 'qa.engineer',
    fullName: '王芳 Wang Fang',
    email: 'wang.fang@kangjian.example',
    roles: ['qa_engineer'],
    department: 'QA',
  },
  {
    username: 'author',
    fullName: '陈静 Chen Jing',
    email: 'chen.jing@kangjian.example',
    roles: ['document_author'],
    department: 'RD',
  },
  {
    username: 'reviewer',
    fullName: '刘洋 Liu Yang',
    email: 'liu.yang@kangjian.example',
    roles: ['reviewer'],
    department: 'RD',
  },
  {
    username: 'reviewer2',
    fullName: '黄磊 Huang Lei',
    email: 'huang.lei@kangjian.example',
    roles: ['reviewer', 'qa_engineer'],
    department: 'QA',
  },
  {
    username: 'prod.supervisor',
    fullName: '周强 Zhou Qiang',
    email: 'zhou.qiang@kangjian.example',
    roles: ['production_supervisor'],
    department: 'PROD',
  },
  {
    username: 'operator',
    fullName: '吴丽 Wu Li',
    email: 'wu.li@kangjian.example',
    roles: ['operator'],
    department: 'PROD',
  },
  {
    username: 'operator2',
    fullName: '孙浩 Sun Hao',
    email: 'sun.hao@kangjian.example',
    roles: ['operator'],
    department: 'PROD',
  },
  {
    username: 'warehouse',
    fullName: '郑爽 Zheng Shuang',
    email: 'zheng.shuang@kangjian.example',
    roles: ['warehouse_clerk'],
    department: 'WH',
  },
  {
    username: 'purchaser',
    fullName: '马超 Ma Chao',
    email: 'ma.chao@kangjian.example',
    roles: ['purchaser'],
    department: 'PUR',
  },
  {
    username: 'auditor',
    fullName: 'Sarah Miller',
    email: 'auditor@notified-body.example',
    roles: ['auditor'],
    department: 'EXT',
  },
];
