"""The questionnaires shipped with the product (data, in Chinese as they are asked): 知信行 (KAP),
satisfaction, awareness and participation of the safe community, and the household injury
questionnaire. `shipped_install` publishes them as version 1 under the city office; a district
runs them as they are or copies and adapts them."""

from django.db import transaction

from .models import Question, Questionnaire, Section

YES_NO = [("1", "是", True), ("2", "否", False)]
YES_NO_UNSURE = [("1", "是", True), ("2", "否", False), ("9", "不清楚", False)]
AGREE = [("1", "非常不同意", False), ("2", "不同意", False), ("3", "一般", False), ("4", "同意", True),
         ("5", "非常同意", True)]
SATISFIED = [("1", "很不满意", False), ("2", "不满意", False), ("3", "一般", False), ("4", "满意", True),
             ("5", "很满意", True)]
S, M, L, N, T = (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.LIKERT, Question.Kind.NUMBER,
                 Question.Kind.TEXT)

# family: (kind, title, introduction, [(section, [(code, text, kind, indicator, choices, show_if, required)])])
SHIPPED = {
    "kap": (Questionnaire.Kind.KAP, "居民安全知识、态度与行为（知信行）调查问卷",
            "本问卷了解居民的安全知识、态度和行为，匿名填写，约需5分钟。感谢您的参与！", [
                ("一、安全知识", [
                    ("K1", "发生火灾时，正确的逃生方式是？", S, "knowledge",
                     [("1", "乘电梯迅速下楼", False), ("2", "用湿毛巾捂住口鼻、低姿走安全通道", True),
                      ("3", "跳楼逃生", False), ("9", "不知道", False)], None, True),
                    ("K2", "家中燃气泄漏时，应当首先？", S, "knowledge",
                     [("1", "打开抽油烟机排气", False), ("2", "关闭气源阀门、开窗通风", True),
                      ("3", "打电话报警", False), ("9", "不知道", False)], None, True),
                    ("K3", "老年人跌倒后，正确的做法是？", S, "knowledge",
                     [("1", "立即扶起", False), ("2", "先判断伤情，不急于扶起，必要时拨打120", True),
                      ("9", "不知道", False)], None, True),
                    ("K4", "儿童乘车应当使用安全座椅。", S, "knowledge",
                     [("1", "正确", True), ("2", "错误", False), ("9", "不知道", False)], None, True),
                ]),
                ("二、安全态度", [
                    ("A1", "我认为大多数伤害是可以预防的。", L, "attitude", AGREE, None, True),
                    ("A2", "我愿意参加社区组织的安全培训和演练。", L, "attitude", AGREE, None, True),
                ]),
                ("三、安全行为", [
                    ("P1", "您骑电动车时是否佩戴安全头盔？", S, "practice",
                     [("1", "每次都戴", True), ("2", "有时戴", False), ("3", "从不戴", False),
                      ("8", "不骑电动车", False)], None, True),
                    ("P2", "您家中是否配备了灭火器或灭火毯？", S, "practice", YES_NO_UNSURE, None, True),
                    ("P3", "您家中的药品、农药等是否放在儿童拿不到的地方？", S, "practice",
                     [("1", "是", True), ("2", "否", False), ("8", "家中无儿童", False)], None, True),
                ]),
            ]),
    "satisfaction": (Questionnaire.Kind.SATISFACTION, "居民对安全社区建设满意度调查问卷",
                     "请根据您的感受评价本社区的安全工作，匿名填写。", [
                         ("社区安全满意度", [
                             ("S1", "您对社区治安状况是否满意？", L, "satisfaction", SATISFIED, None, True),
                             ("S2", "您对社区道路交通安全状况是否满意？", L, "satisfaction", SATISFIED, None, True),
                             ("S3", "您对社区消防安全设施是否满意？", L, "satisfaction", SATISFIED, None, True),
                             ("S4", "您对社区安全宣传教育活动是否满意？", L, "satisfaction", SATISFIED, None, True),
                             ("S5", "总体而言，您对社区安全工作是否满意？", L, "satisfaction", SATISFIED, None, True),
                             ("S6", "您对社区安全工作还有什么意见和建议？", T, "", [], None, False),
                         ]),
                     ]),
    "awareness": (Questionnaire.Kind.AWARENESS, "安全社区知晓率和参与率调查问卷",
                  "本问卷了解居民对安全社区创建的知晓和参与情况，匿名填写，约需2分钟。", [
                      ("知晓情况", [
                          ("W1", "您是否听说过“安全社区”？", S, "awareness", YES_NO, None, True),
                          ("W2", "您是否知道本社区（街道）正在创建安全社区？", S, "awareness", YES_NO, None, True),
                          ("W3", "您是通过什么途径知道的？（可多选）", M, "",
                           [("1", "宣传栏/标语", False), ("2", "社区活动", False), ("3", "微信/网络", False),
                            ("4", "电视/报纸", False), ("5", "亲友告知", False), ("6", "其他", False)],
                           ("W2", "1"), True),
                      ]),
                      ("参与情况", [
                          ("J1", "过去一年，您是否参加过社区组织的安全宣传、培训或演练活动？", S, "participation",
                           YES_NO, None, True),
                          ("J2", "过去一年，您参加了几次？", N, "", [], ("J1", "1"), False),
                      ]),
                  ]),
    "household": (Questionnaire.Kind.HOUSEHOLD, "社区居民入户伤害调查问卷",
                  "由调查员入户询问并填写。请登记全部家庭成员（性别、年龄），以及过去一段时间内每位成员发生的伤害"
                  "（需就医或休息半天及以上）。不登记姓名和住址。", [
                      ("家庭情况", [
                          ("H1", "住房类型", S, "",
                           [("1", "楼房", False), ("2", "平房", False), ("3", "其他", False)], None, True),
                          ("H2", "回忆期内，家中是否有人受过伤害（需就医或休息半天及以上）？", S, "",
                           [("1", "有", False), ("2", "没有", False)], None, True),
                          ("H3", "受伤后是否到医院就诊？", S, "",
                           [("1", "是", False), ("2", "否", False)], ("H2", "1"), True),
                      ]),
                  ]),
}


@transaction.atomic
def shipped_install(*, org_unit, actor=None) -> list[Questionnaire]:
    """Publish each shipped questionnaire (version 1) under `org_unit` once; idempotent."""
    from django.utils import timezone

    from .models import Choice

    made = []
    for family, (kind, title, intro, sections) in SHIPPED.items():
        if Questionnaire.objects.filter(org_unit=org_unit, family=family).exists():
            continue
        q = Questionnaire.objects.create(org_unit=org_unit, family=family, version=1, title=title, kind=kind,
                                         introduction=intro, asks_sex_and_age=True, created_by=actor,
                                         status=Questionnaire.Status.PUBLISHED, published_at=timezone.now())
        by_code = {}
        order = 0
        for s_order, (section_title, questions) in enumerate(sections):
            section = Section.objects.create(questionnaire=q, order=s_order, title=section_title)
            for code, text, qkind, indicator, choices, show_if, required in questions:
                order += 1
                question = Question.objects.create(
                    questionnaire=q, section=section, order=order, code=code, text=text, kind=qkind,
                    indicator=indicator, required=required,
                    show_if_question=by_code[show_if[0]] if show_if else None,
                    show_if_value=show_if[1] if show_if else "")
                by_code[code] = question
                Choice.objects.bulk_create([Choice(question=question, order=i, value=v, label=lbl, is_positive=p)
                                            for i, (v, lbl, p) in enumerate(choices)])
        made.append(q)
    return made
