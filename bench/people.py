"""Made-up relocated families for the benchmarks: a head, a spouse and a son per household, with
valid document numbers (unique birth day and sequence pairs, births spread over sixty years,
every four-character tail used)."""

import datetime
import random
from typing import Any

from stdnum.cn import ric

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤单解"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉春梅海燕文庆德福小花富贵"
BORN = datetime.date(1950, 1, 1)
TOWNS = (
    "城关镇",
    "石桥镇",
    "盐官镇",
    "永兴镇",
    "祁山镇",
    "长道镇",
    "宽川镇",
    "白河镇",
    "中坝镇",
    "洮坪镇",
)
VILLAGES = "斜坡 河口 柳林 杨庄 马坪 高山 石门 新庄 王家 李家 青岗 红崖 草滩 沙湾 梨树 竹园".split()


def origin_address(rng: random.Random) -> str:
    """A made-up village of origin: 礼县 + town + village + group."""
    village = rng.choice(VILLAGES)
    return f"甘肃省陇南市礼县{rng.choice(TOWNS)}{village}村{rng.randint(1, 12)}组"


def family(rng: random.Random, serial: int) -> tuple[list[dict[str, Any]], int]:
    """One household's three members as Member field values, and the next ``serial``."""
    surname = rng.choice(SURNAMES)
    members = []
    for relationship in ("head", "spouse", "son"):
        serial += 1
        born = BORN + datetime.timedelta(days=serial // 1000 * 27)
        body = f"620102{born:%Y%m%d}{serial % 1000:03d}"
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        members.append(
            {
                "name": (surname if relationship != "spouse" else rng.choice(SURNAMES)) + given,
                "document_number": body + ric.calc_check_digit(body + "0"),
                "sex": "M",
                "birth_date": born,
                "relationship": relationship,
            }
        )
    return members, serial
