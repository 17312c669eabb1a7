"""The State Council's annual holiday notices, as data: the source of truth for working days.

Each year is one entry: the notice it comes from (title, document number, the day
it was published, its address on the government site) and, one per numbered line
of the notice, the days off (``first`` to ``last``, weekends inside the span
included, as the notice writes them) and the weekend days that line makes
working days (调休上班, ``work``). The line's own words stand above it as a comment.

Adding a year, on the day its notice appears (usually October–December):
  1. copy the newest entry, change the year, and transcribe the notice line by line
     — dates in full (a 元旦 span may start in December of the year before);
  2. fill in ``notices`` from the notice itself (its 国办发明电〔YYYY〕N号 and date);
  3. run ``pytest tests/test_workdays.py``: the entry is checked for shape at once,
     and day by day against the ``chinesecalendar`` library as soon as an installed
     release knows that year (until then that year's cross-check is skipped, so
     read the entry against the notice a second time).
A notice that changes a year already published (as in 2020, when the Spring
Festival was extended) is added to that year's ``notices`` and its lines edited.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Notice(NamedTuple):
    title: str
    number: str  # 发文字号, e.g. 国办发明电〔2025〕7号
    published: str  # ISO date the notice was published
    url: str


class Line(NamedTuple):
    """One numbered line of a notice: a holiday span and its make-up working days."""

    name: str
    first: str  # ISO date, the first day off
    last: str  # ISO date, the last day off
    work: tuple[str, ...] = ()  # ISO dates: weekend days that are working days


class Year(NamedTuple):
    notices: tuple[Notice, ...]
    lines: tuple[Line, ...]


ARRANGEMENTS: Final[dict[int, Year]] = {
    2020: Year(
        notices=(
            Notice(
                "国务院办公厅关于2020年部分节假日安排的通知",
                "国办发明电〔2019〕16号",
                "2019-11-21",
                "https://www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm",
            ),
            Notice(
                "国务院办公厅关于延长2020年春节假期的通知",
                "国办发明电〔2020〕1号",
                "2020-01-27",  # dated 2020-01-26, published the next morning
                "https://www.gov.cn/zhengce/content/2020-01/27/content_5472352.htm",
            ),
        ),
        lines=(
            # 一、元旦：2020年1月1日放假，共1天。
            Line("元旦", "2020-01-01", "2020-01-01"),
            # 二、春节：1月24日至30日放假调休，共7天。1月19日（星期日）、2月1日（星期六）上班。
            # 延长通知：延长2020年春节假期至2月2日（农历正月初九，星期日），2月3日（星期一）起
            # 正常上班。So the holiday ran to 2 February and Saturday 1 February was no
            # longer a working day.
            Line("春节", "2020-01-24", "2020-02-02", work=("2020-01-19",)),
            # 三、清明节：4月4日至6日放假调休，共3天。
            Line("清明节", "2020-04-04", "2020-04-06"),
            # 四、劳动节：5月1日至5日放假调休，共5天。4月26日（星期日）、5月9日（星期六）上班。
            Line("劳动节", "2020-05-01", "2020-05-05", work=("2020-04-26", "2020-05-09")),
            # 五、端午节：6月25日至27日放假调休，共3天。6月28日（星期日）上班。
            Line("端午节", "2020-06-25", "2020-06-27", work=("2020-06-28",)),
            # 六、国庆节、中秋节：10月1日至8日放假调休，共8天。9月27日（星期日）、10月10日（星期六）上班。
            Line("国庆节、中秋节", "2020-10-01", "2020-10-08", work=("2020-09-27", "2020-10-10")),
        ),
    ),
    2021: Year(
        notices=(
            Notice(
                "国务院办公厅关于2021年部分节假日安排的通知",
                "国办发明电〔2020〕27号",
                "2020-11-25",
                "https://www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm",
            ),
        ),
        lines=(
            # 一、元旦：2021年1月1日至3日放假，共3天。
            Line("元旦", "2021-01-01", "2021-01-03"),
            # 二、春节：2月11日至17日放假调休，共7天。2月7日（星期日）、2月20日（星期六）上班。
            Line("春节", "2021-02-11", "2021-02-17", work=("2021-02-07", "2021-02-20")),
            # 三、清明节：4月3日至5日放假调休，共3天。
            Line("清明节", "2021-04-03", "2021-04-05"),
            # 四、劳动节：5月1日至5日放假调休，共5天。4月25日（星期日）、5月8日（星期六）上班。
            Line("劳动节", "2021-05-01", "2021-05-05", work=("2021-04-25", "2021-05-08")),
            # 五、端午节：6月12日至14日放假，共3天。
            Line("端午节", "2021-06-12", "2021-06-14"),
            # 六、中秋节：9月19日至21日放假调休，共3天。9月18日（星期六）上班。
            Line("中秋节", "2021-09-19", "2021-09-21", work=("2021-09-18",)),
            # 七、国庆节：10月1日至7日放假调休，共7天。9月26日（星期日）、10月9日（星期六）上班。
            Line("国庆节", "2021-10-01", "2021-10-07", work=("2021-09-26", "2021-10-09")),
        ),
    ),
    2022: Year(
        notices=(
            Notice(
                "国务院办公厅关于2022年部分节假日安排的通知",
                "国办发明电〔2021〕11号",
                "2021-10-25",
                "https://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm",
            ),
        ),
        lines=(
            # 一、元旦：2022年1月1日至3日放假，共3天。
            Line("元旦", "2022-01-01", "2022-01-03"),
            # 二、春节：1月31日至2月6日放假调休，共7天。1月29日（星期六）、1月30日（星期日）上班。
            Line("春节", "2022-01-31", "2022-02-06", work=("2022-01-29", "2022-01-30")),
            # 三、清明节：4月3日至5日放假调休，共3天。4月2日（星期六）上班。
            Line("清明节", "2022-04-03", "2022-04-05", work=("2022-04-02",)),
            # 四、劳动节：4月30日至5月4日放假调休，共5天。4月24日（星期日）、5月7日（星期六）上班。
            Line("劳动节", "2022-04-30", "2022-05-04", work=("2022-04-24", "2022-05-07")),
            # 五、端午节：6月3日至5日放假，共3天。
            Line("端午节", "2022-06-03", "2022-06-05"),
            # 六、中秋节：9月10日至12日放假，共3天。
            Line("中秋节", "2022-09-10", "2022-09-12"),
            # 七、国庆节：10月1日至7日放假调休，共7天。10月8日（星期六）、10月9日（星期日）上班。
            Line("国庆节", "2022-10-01", "2022-10-07", work=("2022-10-08", "2022-10-09")),
        ),
    ),
    2023: Year(
        notices=(
            Notice(
                "国务院办公厅关于2023年部分节假日安排的通知",
                "国办发明电〔2022〕16号",
                "2022-12-08",
                "https://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm",
            ),
        ),
        lines=(
            # 一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。
            Line("元旦", "2022-12-31", "2023-01-02"),
            # 二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。
            Line("春节", "2023-01-21", "2023-01-27", work=("2023-01-28", "2023-01-29")),
            # 三、清明节：4月5日放假，共1天。
            Line("清明节", "2023-04-05", "2023-04-05"),
            # 四、劳动节：4月29日至5月3日放假调休，共5天。4月23日（星期日）、5月6日（星期六）上班。
            Line("劳动节", "2023-04-29", "2023-05-03", work=("2023-04-23", "2023-05-06")),
            # 五、端午节：6月22日至24日放假调休，共3天。6月25日（星期日）上班。
            Line("端午节", "2023-06-22", "2023-06-24", work=("2023-06-25",)),
            # 六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。
            Line("中秋节、国庆节", "2023-09-29", "2023-10-06", work=("2023-10-07", "2023-10-08")),
        ),
    ),
    2024: Year(
        notices=(
            Notice(
                "国务院办公厅关于2024年部分节假日安排的通知",
                "国办发明电〔2023〕7号",
                "2023-10-25",
                "https://www.gov.cn/zhengce/content/202310/content_6911527.htm",
            ),
        ),
        lines=(
            # 一、元旦：1月1日放假，与周末连休。
            Line("元旦", "2024-01-01", "2024-01-01"),
            # 二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。
            # 鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
            # (Friday 9 February stays a working day: the notice only encourages leave.)
            Line("春节", "2024-02-10", "2024-02-17", work=("2024-02-04", "2024-02-18")),
            # 三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
            Line("清明节", "2024-04-04", "2024-04-06", work=("2024-04-07",)),
            # 四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
            Line("劳动节", "2024-05-01", "2024-05-05", work=("2024-04-28", "2024-05-11")),
            # 五、端午节：6月10日放假，与周末连休。
            Line("端午节", "2024-06-10", "2024-06-10"),
            # 六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
            Line("中秋节", "2024-09-15", "2024-09-17", work=("2024-09-14",)),
            # 七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
            Line("国庆节", "2024-10-01", "2024-10-07", work=("2024-09-29", "2024-10-12")),
        ),
    ),
    2025: Year(
        notices=(
            Notice(
                "国务院办公厅关于2025年部分节假日安排的通知",
                "国办发明电〔2024〕12号",
                "2024-11-12",
                "https://www.gov.cn/zhengce/content/202411/content_6986382.htm",
            ),
        ),
        lines=(
            # 一、元旦：1月1日（周三）放假1天，不调休。
            Line("元旦", "2025-01-01", "2025-01-01"),
            # 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
            # 1月26日（周日）、2月8日（周六）上班。
            Line("春节", "2025-01-28", "2025-02-04", work=("2025-01-26", "2025-02-08")),
            # 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
            Line("清明节", "2025-04-04", "2025-04-06"),
            # 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
            Line("劳动节", "2025-05-01", "2025-05-05", work=("2025-04-27",)),
            # 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
            Line("端午节", "2025-05-31", "2025-06-02"),
            # 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。
            # 9月28日（周日）、10月11日（周六）上班。
            Line("国庆节、中秋节", "2025-10-01", "2025-10-08", work=("2025-09-28", "2025-10-11")),
        ),
    ),
    2026: Year(
        notices=(
            Notice(
                "国务院办公厅关于2026年部分节假日安排的通知",
                "国办发明电〔2025〕7号",
                "2025-11-04",
                "https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
            ),
        ),
        lines=(
            # 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
            Line("元旦", "2026-01-01", "2026-01-03", work=("2026-01-04",)),
            # 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
            # 2月14日（周六）、2月28日（周六）上班。
            Line("春节", "2026-02-15", "2026-02-23", work=("2026-02-14", "2026-02-28")),
            # 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
            Line("清明节", "2026-04-04", "2026-04-06"),
            # 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
            Line("劳动节", "2026-05-01", "2026-05-05", work=("2026-05-09",)),
            # 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
            Line("端午节", "2026-06-19", "2026-06-21"),
            # 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
            Line("中秋节", "2026-09-25", "2026-09-27"),
            # 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
            Line("国庆节", "2026-10-01", "2026-10-07", work=("2026-09-20", "2026-10-10")),
        ),
    ),
}
