"""Write a province-shaped content folder for the benchmark.

The shape follows the seeds: one provincial brand (山西「有事来商量」) over 11
city brands and 117 county brands, ~60 departments, and N sessions spread over
several years, each with 0–6 outcomes of 1–5 updates. Every record follows
/work/shared/content-model.md, so the real loader validates it. Output is
deterministic for a given N and seed.

    python bench/generate.py --sessions 2000 --out bench/out/corpus
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

# "Now" of benchmark builds (SOURCE_DATE_EPOCH): 2026-11-01 00:00 Asia/Shanghai.
BENCH_EPOCH = 1793462400
BENCH_TODAY = date(2026, 11, 1)
FIRST_YEAR = 2021

# The marker of unpublished sessions: no published page, feed or index may hold it.
UNPUBLISHED_MARKER = "未发布标记"

# 11 cities and their 117 county-level divisions (山西省).
CITIES: list[tuple[str, str, list[str]]] = [
    ("taiyuan", "太原市", ["小店区", "迎泽区", "杏花岭区", "尖草坪区", "万柏林区", "晋源区", "清徐县", "阳曲县", "娄烦县", "古交市"]),
    ("datong", "大同市", ["平城区", "云冈区", "新荣区", "云州区", "阳高县", "天镇县", "广灵县", "灵丘县", "浑源县", "左云县"]),
    ("yangquan", "阳泉市", ["城区", "矿区", "郊区", "平定县", "盂县"]),
    ("changzhi", "长治市", ["潞州区", "上党区", "屯留区", "潞城区", "襄垣县", "平顺县", "黎城县", "壶关县", "长子县", "武乡县", "沁县", "沁源县"]),
    ("jincheng", "晋城市", ["城区", "沁水县", "阳城县", "陵川县", "泽州县", "高平市"]),
    ("shuozhou", "朔州市", ["朔城区", "平鲁区", "山阴县", "应县", "右玉县", "怀仁市"]),
    ("jinzhong", "晋中市", ["榆次区", "太谷区", "榆社县", "左权县", "和顺县", "昔阳县", "寿阳县", "祁县", "平遥县", "灵石县", "介休市"]),
    ("yuncheng", "运城市", ["盐湖区", "临猗县", "万荣县", "闻喜县", "稷山县", "新绛县", "绛县", "垣曲县", "夏县", "平陆县", "芮城县", "永济市", "河津市"]),
    ("xinzhou", "忻州市", ["忻府区", "定襄县", "五台县", "代县", "繁峙县", "宁武县", "静乐县", "神池县", "五寨县", "岢岚县", "河曲县", "保德县", "偏关县", "原平市"]),
    ("linfen", "临汾市", ["尧都区", "曲沃县", "翼城县", "襄汾县", "洪洞县", "古县", "安泽县", "浮山县", "吉县", "乡宁县", "大宁县", "隰县", "永和县", "蒲县", "汾西县", "侯马市", "霍州市"]),
    ("lvliang", "吕梁市", ["离石区", "文水县", "交城县", "兴县", "临县", "柳林县", "石楼县", "岚县", "方山县", "中阳县", "交口县", "孝义市", "汾阳市"]),
]

COUNTY_BRANDS = ["有事来商量", "欢迎来协商", "有事好商量", "民生议事厅", "商量有约", "协商议事会", "委员会客厅", "众人的事众人商量"]

# (slug suffix, official name, short alias)
DEPARTMENT_KINDS = [
    ("zhujian", "住房和城乡建设局", "住建局"),
    ("gongan", "公安局", "公安局"),
    ("weijian", "卫生健康委员会", "卫健委"),
    ("jiaoyu", "教育局", "教育局"),
    ("minzheng", "民政局", "民政局"),
]
PROVINCE_DEPARTMENTS = [
    ("sx-fagai", "山西省发展和改革委员会", ["省发展改革委", "省发改委"]),
    ("sx-nongye", "山西省农业农村厅", ["省农业农村厅"]),
    ("sx-wenlv", "山西省文化和旅游厅", ["省文化和旅游厅", "省文旅厅"]),
    ("sx-shengtai", "山西省生态环境厅", ["省生态环境厅"]),
    ("sx-renshe", "山西省人力资源和社会保障厅", ["省人力资源社会保障厅", "省人社厅"]),
]

SUBJECTS: list[tuple[str, list[str], list[str]]] = [
    # (tag, topics, recommendations)
    ("停车", ["破解老旧小区停车难", "规范城区道路停车秩序", "推动机关单位停车场错时共享"],
     ["推动机关事业单位停车场错时向市民开放", "在老旧小区周边挖潜增设公共停车泊位", "建设智慧停车信息平台，实时发布空余泊位"]),
    ("养老", ["发展社区居家养老服务", "推进老年助餐服务全覆盖", "提升农村养老服务水平"],
     ["在社区建设嵌入式养老服务站", "扩大老年助餐点覆盖，给予运营补贴", "推动医养结合，家庭医生上门服务"]),
    ("营商环境", ["优化营商环境，为民营企业纾困", "推进政务服务“一网通办”", "规范涉企检查"],
     ["清理拖欠民营企业账款，建立长效机制", "推行涉企事项“一件事一次办”", "建立涉企行政检查备案制度，减少重复检查"]),
    ("老旧小区", ["推进老旧小区改造提质", "老旧小区加装电梯", "老旧小区物业管理全覆盖"],
     ["将雨污分流纳入老旧小区改造内容", "简化加装电梯审批流程，设立补贴", "引入国有物业企业托底管理无物业小区"]),
    ("教育", ["缓解中小学课后服务难题", "推进学前教育普惠发展", "规范校外培训"],
     ["扩大课后延时服务覆盖面，丰富服务内容", "新建改扩建公办幼儿园，增加普惠学位", "建立校外培训机构预付费监管平台"]),
    ("医疗", ["推动优质医疗资源下沉", "完善基层医疗卫生服务", "缓解看病难看病贵"],
     ["推进县域医共体建设，专家定期下乡坐诊", "加强乡镇卫生院标准化建设", "扩大门诊慢特病病种保障范围"]),
    ("乡村振兴", ["壮大村集体经济", "推进农村人居环境整治", "发展特色农产品产业"],
     ["盘活闲置宅基地和集体建设用地", "推进农村厕所革命和垃圾集中处理", "打造区域公用品牌，拓展电商销售渠道"]),
    ("文旅融合", ["推动文旅融合发展", "保护利用历史文化街区", "打造乡村旅游精品线路"],
     ["整合古建资源推出文旅精品线路", "对历史文化街区实施微改造，保留原有风貌", "完善景区停车、厕所等配套设施"]),
    ("生态环境", ["推进汾河流域生态保护", "治理扬尘和散煤污染", "推进垃圾分类"],
     ["实施汾河支流生态修复工程", "推进清洁取暖改造，淘汰散煤", "在社区设置分类投放点并配备督导员"]),
    ("就业", ["促进高校毕业生就业创业", "推动农民工稳定就业", "发展零工市场"],
     ["建设青年创业孵化基地，提供场地补贴", "开展订单式职业技能培训", "建设县级零工市场，规范灵活就业服务"]),
    ("交通", ["改善城区交通拥堵", "发展农村客运", "完善慢行系统"],
     ["优化公交线网，增开社区微循环线路", "推进城乡公交一体化", "建设连续贯通的自行车道和人行道"]),
    ("食品安全", ["加强校园食品安全监管", "规范农贸市场管理", "推进明厨亮灶"],
     ["推行校园食堂“互联网+明厨亮灶”", "对农贸市场实施标准化改造", "建立食品安全快检室，向公众开放"]),
]

PLACES = ["政协委员工作室", "协商议事厅", "社区党群服务中心", "新时代文明实践所", "街道便民服务中心", "村委会议事室"]
OUTLETS = ["山西日报", "山西新闻网", "黄河新闻网", "山西广播电视台", "人民政协网"]
NOTES = {
    "claimed": "{dept}已认领，牵头研究办理方案。",
    "in_progress": "{dept}正在办理，已完成现场调研，形成初步方案。",
    "adopted": "{dept}采纳该建议，相关措施纳入年度工作计划。",
    "implemented": "{dept}已落实：出台配套办法，相关项目建成投用，群众反映良好。",
    "declined": "经研究，该建议涉及的事项不属于本级事权，{dept}已向上级部门反映，暂不采纳。",
}


@dataclass
class Platform:
    slug: str
    meta: dict[str, Any]
    body: str
    weight: int  # share of sessions: counties hold most
    departments: list[str] = field(default_factory=list)  # names sessions send outcomes to
    next_number: int = 1


def build_platforms() -> list[Platform]:
    platforms = [
        Platform(
            "youshi-lai-shangliang",
            {"name": "有事来商量", "level": "province", "region": "山西省", "launched": "2020-03",
             "organizers": ["山西省政协"], "annual_target": 6},
            "山西省政协「有事来商量」协商平台，全省各级政协协商平台的统一品牌。\n",
            weight=2,
            departments=[name for _, name, _ in PROVINCE_DEPARTMENTS],
        )
    ]
    for city_slug, city, counties in CITIES:
        city_departments = [f"{city}{kind}" for _, kind, _ in DEPARTMENT_KINDS]
        platforms.append(Platform(
            f"{city_slug}-youshi-lai-shangliang",
            {"name": f"{city}「有事来商量」", "parent": "youshi-lai-shangliang", "level": "city",
             "region": f"山西省{city}", "organizers": [f"政协{city}委员会"], "annual_target": 6,
             "venue": f"{city}政协协商议事厅", "hours": "工作日 8:30—12:00，14:30—17:30"},
            f"{city}政协在「有事来商量」统一部署下打造的市级协商平台。\n",
            weight=4,
            departments=city_departments,
        ))
        for number, county in enumerate(counties, start=1):
            brand = COUNTY_BRANDS[(number + len(city)) % len(COUNTY_BRANDS)]
            platforms.append(Platform(
                f"{city_slug}-x{number:02d}",
                {"name": f"{county}「{brand}」", "parent": f"{city_slug}-youshi-lai-shangliang",
                 "level": "county", "region": f"山西省{city}{county}", "organizers": [f"政协{city}{county}委员会"]},
                f"{county}政协的县级协商品牌，围绕群众身边的急难愁盼开展协商。\n",
                weight=1,
                departments=city_departments,
            ))
    return platforms


def build_departments() -> list[dict[str, Any]]:
    departments = [{"slug": slug, "name": name, "aliases": aliases} for slug, name, aliases in PROVINCE_DEPARTMENTS]
    for city_slug, city, _ in CITIES:
        for kind_slug, kind, short in DEPARTMENT_KINDS:
            aliases = [f"{city}{short}"] if short != kind else []
            departments.append({"slug": f"{city_slug}-{kind_slug}", "name": f"{city}{kind}", "aliases": aliases})
    return departments


def front_matter(meta: dict[str, Any], body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def narrative(rng: random.Random, region: str, topic: str, tag: str) -> str:
    paragraphs = [
        f"{region}政协围绕“{topic}”开展协商。前期，委员们分组深入社区、企业和村庄走访调研，"
        f"通过12345热线、网络平台和意见箱征集群众意见，梳理出群众反映集中的{rng.randint(3, 9)}个问题。",
        f"协商会上，政协委员、专家学者、群众代表与相关部门负责人面对面交流。大家认为，{tag}问题事关群众切身利益，"
        "既要解决眼前的急难愁盼，也要建立长效机制，让好的做法固定下来。",
        "会后，形成的问题及建议清单按程序交办相关部门，由政协跟踪办理进展，并将办理结果向群众公开反馈。",
    ]
    if rng.random() < 0.5:
        paragraphs.insert(2, "有群众代表说：“以前反映问题不知道找谁，现在坐下来一起商量，心里踏实多了。”"
                             "部门负责人表示将认真研究吸纳大家的意见建议，能办的马上办，一时办不了的说明原因。")
    return "\n\n".join(paragraphs) + "\n"


def outcome_updates(rng: random.Random, held: date, department: str) -> list[dict[str, Any]]:
    path = ["submitted", "claimed", "in_progress", rng.choice(["adopted", "implemented", "implemented", "declined"])]
    count = rng.randint(1, 5)
    statuses = path[:count] if count <= 4 else [*path, "implemented"]
    if statuses[-2:] == ["declined", "implemented"]:
        statuses[-1] = "declined"
    updates = []
    day = held + timedelta(days=rng.randint(3, 10))
    for status in statuses:
        if day > BENCH_TODAY:
            break
        update: dict[str, Any] = {"date": day, "status": status}
        if status == "declined" or (status != "submitted" and rng.random() < 0.7):
            update["note"] = NOTES[status].format(dept=department)
        updates.append(update)
        day += timedelta(days=rng.randint(5, 90))
    return updates or [{"date": held, "status": "submitted"}]


def session_record(rng: random.Random, platform: Platform, held: date, serial: int) -> tuple[str, str]:
    tag, topics, recommendations = rng.choice(SUBJECTS)
    region = platform.meta["region"].removeprefix("山西省") or "山西省"
    topic = rng.choice(topics)
    meta: dict[str, Any] = {"title": f"{region}：{topic}", "platform": platform.slug, "date": held}
    if rng.random() < 0.6:
        meta["number"] = platform.next_number
        platform.next_number += 1
    planned = held > BENCH_TODAY
    if planned:
        meta["stage"] = "planned"
    meta["location"] = f"{region}{rng.choice(PLACES)}"
    meta["topic_source"] = rng.choice(["party_government", "member", "department", "public"])
    meta["tags"] = sorted({tag, rng.choice(SUBJECTS)[0]})
    meta["participants"] = {
        "members": rng.randint(5, 30), "experts": rng.randint(0, 8), "public": rng.randint(0, 40),
        "officials": rng.sample(platform.departments, k=rng.randint(1, 3)),
    }
    meta["public_input"] = rng.randint(0, 5000)
    if rng.random() < 0.5:
        meta["media"] = [{"title": f"{topic}——{region}政协协商侧记", "url": "https://example.org/news",
                          "outlet": rng.choice(OUTLETS), "kind": rng.choice(["article", "video"])}]
    if not planned:
        outcomes = []
        for index in range(rng.randint(0, 6)):
            department = rng.choice(platform.departments)
            text = rng.choice(recommendations)
            outcome: dict[str, Any] = {"id": f"r{index + 1}", "text": text, "departments": [department]}
            if rng.random() < 0.4:
                outcome["due"] = held + timedelta(days=rng.choice([60, 90, 180]))
            outcome["updates"] = outcome_updates(rng, held, department)
            outcomes.append(outcome)
        if outcomes:
            meta["outcomes"] = outcomes
    body = narrative(rng, region, topic, tag)
    roll = rng.random()
    if roll < 0.02:
        meta["draft"] = True
        body += f"\n{UNPUBLISHED_MARKER}：草稿。\n"
    elif roll < 0.03:
        meta["publish_date"] = BENCH_TODAY + timedelta(days=30)
        body += f"\n{UNPUBLISHED_MARKER}：未到发布时间。\n"
    slug = f"{platform.slug}-{serial:05d}"
    return f"sessions/{held.year}/{slug}.md", front_matter(meta, body)


def generate(target: Path, sessions: int, seed: int = 6) -> dict[str, int]:
    """Write the corpus into ``target`` (emptied first); return counts."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "platforms").mkdir(parents=True)
    (target / "index.md").write_text("# 山西「有事来商量」协商成果公开\n\n基准测试用的省级站点。\n", encoding="utf-8")
    (target / "tags.md").write_text("---\ntitle: 按主题浏览\n---\n\n# 按主题浏览\n\n<!-- material/tags -->\n", encoding="utf-8")
    departments = build_departments()
    (target / "departments.yml").write_text(yaml.safe_dump(departments, allow_unicode=True, sort_keys=False), encoding="utf-8")
    platforms = build_platforms()
    for platform in platforms:
        (target / "platforms" / f"{platform.slug}.md").write_text(front_matter(platform.meta, platform.body), encoding="utf-8")
    weights = [p.weight for p in platforms]
    span = (date(2026, 12, 31) - date(FIRST_YEAR, 1, 1)).days
    days = sorted(date(FIRST_YEAR, 1, 1) + timedelta(days=rng.randrange(span)) for _ in range(sessions))
    for serial, held in enumerate(days, start=1):
        platform = rng.choices(platforms, weights)[0]
        path, text = session_record(rng, platform, held, serial)
        file = target / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return {"platforms": len(platforms), "departments": len(departments), "sessions": sessions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("bench/out/corpus"))
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    print(generate(args.out, args.sessions, args.seed))


if __name__ == "__main__":
    main()
