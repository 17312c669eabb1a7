"""The filing numbers a Chinese public website shows in its footer, checked for format.

Three optional settings (mkdocs.yml, under the huiyin plugin):

- ``icp_filing``: the ICP 备案号 every site served from the mainland must show
  and link to MIIT's lookup (https://beian.miit.gov.cn/), e.g. 京ICP备12345678号-1:
  a province's one-character abbreviation, ICP备, the number (8 digits for
  older filings, 10 with the year in front for newer ones), 号, and -n for the
  n-th site of one filing.
- ``public_security_filing``: the 公安机关互联网站安全备案号, e.g.
  京公网安备11010502030143号: the abbreviation, 公网安备, 14 digits (the
  6-digit region code and a serial), 号. It links to the Ministry of Public
  Security's lookup of those digits.
- ``government_site_code``: the 网站标识码 of a government website (国办发〔2017〕47号):
  10 characters, the 6-digit region code and 4 digits (3702000001), or bm and
  8 digits for a ministry's site. Shown as text; there is no lookup page to link.

A typo in any of them would be printed on every page of an official site, so
the format is checked when the configuration is read, with a message that
names mkdocs.yml, the option and what to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROVINCES = "京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵黔云滇藏陕甘陇青宁新"
ICP_LOOKUP = "https://beian.miit.gov.cn/"
PUBLIC_SECURITY_LOOKUP = "https://beian.mps.gov.cn/#/query/webSearch?code="

_ICP = re.compile(rf"[{PROVINCES}]ICP备\d{{6,12}}号(?:-\d{{1,3}})?")
_PUBLIC_SECURITY = re.compile(rf"[{PROVINCES}]公网安备(?P<digits>\d{{14}})号")
_SITE_CODE = re.compile(r"\d{10}|bm\d{8}")


class FilingError(ValueError):
    """A filing setting that is not in its format; the message says where and what to write."""


@dataclass(frozen=True)
class Filings:
    """What the footer shows; each "" when unset."""

    icp: str = ""
    public_security: str = ""
    site_code: str = ""

    @property
    def icp_url(self) -> str:
        return ICP_LOOKUP

    @property
    def public_security_url(self) -> str:
        match = _PUBLIC_SECURITY.fullmatch(self.public_security)
        return PUBLIC_SECURITY_LOOKUP + match.group("digits") if match else ""

    def __bool__(self) -> bool:
        return bool(self.icp or self.public_security or self.site_code)


def _problem(option: str, value: str, what: str, example: str) -> FilingError:
    return FilingError(
        f"mkdocs.yml：huiyin 插件的 {option} 写的是“{value}”，不是{what}的格式 — "
        f"照备案系统上的写法原样填写，如 {option}: {example}；没有就删去这一行"
        f"（mkdocs.yml: plugin option {option} is not a valid {what}, e.g. {example}）"
    )


def checked(option: str, value: str) -> str:
    """``value`` trimmed, or FilingError naming mkdocs.yml and ``option`` when it is not in that option's format."""
    value = value.strip()
    if not value:
        return ""
    formats = {
        "icp_filing": (_ICP, "ICP 备案号", "京ICP备12345678号-1"),
        "public_security_filing": (_PUBLIC_SECURITY, "公安机关互联网站安全备案号", "京公网安备11010502030143号"),
        "government_site_code": (_SITE_CODE, "网站标识码（10 位）", "3702000001"),
    }
    pattern, what, example = formats[option]
    if not pattern.fullmatch(value):
        raise _problem(option, value, what, example)
    return value
