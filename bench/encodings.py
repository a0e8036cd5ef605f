"""How often is a legacy-encoded article decoded to exactly its original text?

Real news-style paragraphs in eight languages (plus Russian) are cut into
deterministic samples of 3 to 40 words, encoded in cp1252, latin-1, cp1250
and cp1251 where the text is representable (latin-1 gets the text with
typography made plain, since it has no curly quotes, dashes or euro sign);
Russian in KOI8-R too, and Ukrainian (cp1251, KOI8-U), Turkish (cp1254),
Lithuanian, Latvian, Estonian (cp1257), Hebrew (cp1255) and Arabic (cp1256)
in their own encodings only, after the others so their samples stay the same;
and paragraphs in Chinese (simplified in GBK, traditional in Big5), Japanese
(Shift_JIS, EUC-JP) and Korean (EUC-KR) into samples of 5 to 80 characters,
and decoded by ``tui.decode.decode`` and by charset-normalizer alone. A
sample counts as right when the decoded text equals the original: cp1252
chosen for latin-1 bytes that decode identically is right. Samples without
any non-ASCII character are left out, as every decoder gets them right.
The cp1251 column also holds Western samples whose only non-ASCII
characters are typography (quotes, dashes, €); with no Cyrillic letter to go
on, decode() reads most of those as cp1252. Last, the double-byte samples
are damaged (the last byte cut off, or one 0xFF byte put in the middle) and
counted right when decode() still reads the rest as written.

Run: ``.venv/bin/python bench/encodings.py [SAMPLES_PER_LANGUAGE]``
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.decode import NotText, decode

TEXTS: dict[str, str] = {
    "en": (
        "The café on Rue de Rivoli reopened on Monday — three months after the fire. "
        "“We didn’t expect so many people,” said the owner, José Núñez, who spent €40,000 "
        "on repairs. Critics called the new menu “naïve” but praised the crème brûlée. "
        "Prices rose by 5–10% across the city’s restaurants this year. "
        "The mayor’s office declined to comment on the façade. "
        "Tourists from Zürich and Malmö queued outside before noon. "
        "It was, as one regular put it, “a proper déjà vu.”"
    ),
    "de": (
        "Die Bundesregierung hat am Mittwoch ein neues Förderprogramm für Wärmepumpen "
        "beschlossen. „Wir müssen jetzt handeln“, sagte die Ministerin in Berlin. "
        "Das Programm kostet rund 3 Milliarden € – deutlich mehr als ursprünglich geplant. "
        "Kritiker bemängeln, dass Hausbesitzer in ländlichen Gebieten kaum profitieren. "
        "Über die Höhe der Zuschüsse wird im Bundestag noch gestritten. "
        "Größere Städte wie München und Düsseldorf begrüßten die Entscheidung. "
        "Die Verbraucherzentrale rät, Angebote sorgfältig zu prüfen, bevor man unterschreibt."
    ),
    "it": (
        "Il governo ha approvato venerdì la nuova legge di bilancio, che prevede tagli "
        "per 12 miliardi di €. «È una manovra equilibrata», ha detto il ministro. "
        "L’opposizione però parla di un’occasione perduta per la città e per il Paese. "
        "Più di metà delle risorse andrà alle imprese del Nord – una scelta già criticata. "
        "Perché non si è investito nella sanità? Così si è chiesto un deputato. "
        "La votazione finale è attesa lunedì, ma l’esito non è ancora certo. "
        "Secondo l’Istat, l’attività economica è cresciuta dello 0,3% nel trimestre."
    ),
    "fr": (
        "Le gouvernement a présenté mercredi un projet de loi sur l’énergie très attendu. "
        "« Nous n’avons plus le choix », a déclaré la Première ministre à l’Assemblée. "
        "Le coût est estimé à 8 milliards d’€ – un effort « considérable » selon Bercy. "
        "Les élus de l’opposition dénoncent une réforme précipitée et mal financée. "
        "Dès l’été, les ménages modestes bénéficieront d’une aide à la rénovation. "
        "À Marseille, les associations craignent que les délais soient trop courts. "
        "Où trouver les artisans qualifiés ? La question reste entière, reconnaît-on."
    ),
    "es": (
        "El Gobierno aprobó el martes una reforma de las pensiones que afectará a millones "
        "de españoles. «Es un día histórico», afirmó la ministra en el Congreso. "
        "La medida costará unos 5.000 millones de € al año – más de lo previsto. "
        "¿Quién pagará la factura? Los sindicatos exigen más garantías para los jóvenes. "
        "La oposición anunció que recurrirá la ley ante el Tribunal Constitucional. "
        "En Andalucía y Cataluña, los pensionistas se manifestaron frente a las sedes. "
        "Según la Seguridad Social, la afiliación creció un 2,1% en el último año."
    ),
    "pl": (
        "Rząd przyjął we wtorek projekt ustawy o ochronie środowiska. "
        "„To przełomowa decyzja” – powiedział minister podczas konferencji w Warszawie. "
        "Program będzie kosztował około 2 mld € i obejmie całą Polskę. "
        "Krytycy zwracają uwagę, że gminy wiejskie otrzymają zbyt mało pieniędzy. "
        "Żadna z partii opozycyjnych nie poparła projektu w pierwszym czytaniu. "
        "Mieszkańcy Łodzi i Gdańska skarżą się na rosnące ceny ogrzewania. "
        "Według GUS inflacja w grudniu spadła do 6,2% – najniższego poziomu od dwóch lat."
    ),
    "cs": (
        "Vláda ve středu schválila návrh zákona o podpoře obnovitelných zdrojů. "
        "„Je to krok správným směrem,“ řekl ministr průmyslu novinářům v Praze. "
        "Program bude stát přibližně 1,5 miliardy € – více, než se původně čekalo. "
        "Opozice tvrdí, že peníze dostanou hlavně velké firmy, nikoli domácnosti. "
        "Ceny elektřiny v České republice loni vzrostly o čtvrtinu. "
        "Obce na Moravě žádají, aby měly k dotacím snazší přístup. "
        "Podle Českého statistického úřadu se nezaměstnanost držela pod 4 %."
    ),
    "hu": (
        "A kormány szerdán elfogadta az új energiatörvény tervezetét. "
        "„Ez egy fontos lépés az ország jövője szempontjából” – mondta a miniszter Budapesten. "
        "A program költsége körülbelül 2 milliárd € lesz, ami több a vártnál. "
        "Az ellenzék szerint a kisebb települések alig részesülnek a támogatásból. "
        "Győrben és Szegeden a lakosok a fűtési díjak emelkedése miatt tiltakoztak. "
        "A döntést a szakszervezetek is bírálták, mert túl gyorsan született. "
        "A Központi Statisztikai Hivatal szerint az infláció 7,4 százalékra csökkent."
    ),
    "ru": (
        "Правительство в среду одобрило новый закон о поддержке малого бизнеса. "
        "«Это важный шаг для всей страны», — заявил министр на пресс-конференции в Москве. "
        "Программа обойдётся примерно в 2 млрд € — больше, чем планировалось. "
        "Критики считают, что деньги получат в основном крупные компании. "
        "Жители Казани и Новосибирска жалуются на рост цен на отопление. "
        "По данным Росстата, инфляция в декабре снизилась до 7,4 процента."
    ),
    "zh": (
        "国务院周三召开常务会议，决定进一步加大对中小企业的支持力度。"
        "“我们必须立即行动”，财政部长在北京表示。该计划预计耗资约三百亿元人民币，"
        "远超最初的预算。批评人士指出，农村地区的企业很难从中受益。"
        "上海和深圳等大城市对这一决定表示欢迎。国家统计局的数据显示，"
        "今年第三季度经济增长百分之四点九，略低于市场预期。"
        "专家建议企业在申请补贴之前仔细阅读相关规定。"
    ),
    "zh-hant": (
        "行政院週三通過新的能源政策，預計在2030年前將再生能源比例提高到三成。"
        "「我們沒有其他選擇」，經濟部長在臺北表示。這項計畫的總經費約為新臺幣九百億元，"
        "遠高於原先的估算。反對黨批評政府忽視了中南部的電力需求。"
        "高雄與臺中的市長都對這項決定表示歡迎。主計總處的資料顯示，"
        "今年第二季的經濟成長率為百分之三點八。"
    ),
    "ja": (
        "政府は水曜日、中小企業への支援を拡大する新たな経済対策を閣議決定した。"
        "「今すぐ行動しなければならない」と財務大臣は東京で記者団に語った。"
        "対策の規模は約三兆円で、当初の見込みを大きく上回る。"
        "地方の企業はほとんど恩恵を受けられないとの批判も出ている。"
        "大阪や名古屋などの大都市はこの決定を歓迎した。"
        "内閣府によると、七月から九月期の実質成長率は年率換算で二・一パーセントだった。"
    ),
    "ko": (
        "정부는 수요일 중소기업 지원을 확대하는 새로운 경제 대책을 발표했다. "
        "“지금 당장 행동해야 한다”고 기획재정부 장관이 서울에서 말했다. "
        "대책의 규모는 약 30조 원으로 당초 예상을 크게 웃돈다. "
        "지방 기업들은 거의 혜택을 받지 못할 것이라는 비판도 나온다. "
        "부산과 대구 등 대도시는 이번 결정을 환영했다. "
        "한국은행에 따르면 3분기 경제 성장률은 1.4퍼센트를 기록했다."
    ),
    "uk": (
        "Уряд у середу схвалив новий закон про підтримку малого бізнесу в регіонах. "
        '"Це важливий крок для всієї країни", - заявив міністр на брифінгу в Києві. '
        "Програма коштуватиме приблизно 2 мільярди гривень, тобто більше, ніж планувалося. "
        "Критики вважають, що гроші отримають переважно великі компанії зі столиці. "
        "Мешканці Львова та Харкова скаржаться на зростання цін на опалення. "
        "Ґрунтові дороги в селах досі не відремонтовані, а їхній стан щороку гіршає. "
        "За даними Держстату, інфляція в грудні знизилася до 5,1 відсотка."
    ),
    "tr": (
        "Hükümet çarşamba günü küçük işletmelere yönelik yeni bir destek paketini açıkladı. "
        "“Şimdi harekete geçmemiz gerekiyor” dedi bakan, Ankara’daki basın toplantısında. "
        "Paketin maliyeti yaklaşık 40 milyar lira olacak; bu, ilk tahminlerin epey üzerinde. "
        "Eleştirmenler, kırsal bölgelerdeki işletmelerin destekten pek yararlanamayacağını "
        "söylüyor. İstanbul ve İzmir gibi büyük şehirlerde esnaf kararı memnuniyetle karşıladı. "
        "Muhalefet partileri ise düzenlemenin Meclis’te yeniden görüşülmesini istedi. "
        "TÜİK verilerine göre yıllık enflasyon geçen ay yüzde 61,4’e geriledi."
    ),
    "lt": (
        "Vyriausybė trečiadienį pritarė naujam atsinaujinančios energijos įstatymo projektui. "
        "„Tai svarbus žingsnis visai šaliai“, – spaudos konferencijoje Vilniuje sakė ministras. "
        "Programa kainuos apie 300 milijonų €, t. y. daugiau, nei buvo planuota. "
        "Kritikai teigia, kad kaimo vietovių gyventojai gaus per mažai paramos. "
        "Kauno ir Klaipėdos savivaldybės sprendimą įvertino palankiai. "
        "Opozicija žada įstatymą dar kartą svarstyti Seime per rudens sesiją. "
        "Statistikos departamento duomenimis, infliacija gruodį sumažėjo iki 3,2 procento."
    ),
    "lv": (
        "Valdība otrdien apstiprināja jaunu likumprojektu par atbalstu mazajiem uzņēmumiem. "
        "„Mums ir jārīkojas tūlīt,” preses konferencē Rīgā sacīja ekonomikas ministrs. "
        "Programma izmaksās aptuveni 200 miljonus €, kas ir vairāk, nekā sākotnēji plānots. "
        "Kritiķi norāda, ka lauku reģionu uzņēmēji saņems pārāk maz naudas. "
        "Daugavpils un Liepājas pašvaldības lēmumu vērtēja atzinīgi. "
        "Opozīcija pieprasa, lai Saeima likumu vēlreiz izskatītu rudens sesijā. "
        "Saskaņā ar Centrālās statistikas pārvaldes datiem inflācija decembrī samazinājās "
        "līdz 4,1 procentam."
    ),
    "et": (
        "Valitsus kiitis neljapäeval heaks uue energiaseaduse eelnõu. "
        "„Me peame tegutsema kohe,“ ütles majandusminister Tallinnas ajakirjanikele. "
        "Programm maksab umbes 150 miljonit €, mis on oodatust tunduvalt rohkem. "
        "Kriitikute sõnul jõuab maapiirkondade ettevõteteni liiga vähe raha. "
        "Tartu ja Pärnu omavalitsused võtsid otsuse hästi vastu, kuigi žürii hinnangut veel pole. "
        "Opositsioon nõuab, et Riigikogu arutaks eelnõu sügisel uuesti, sest šokk pole möödas. "
        "Statistikaameti andmetel aeglustus inflatsioon detsembris 3,9 protsendini."
    ),
    "he": (
        "הממשלה אישרה ביום רביעי תוכנית חדשה לתמיכה בעסקים קטנים ובינוניים. "
        "“אנחנו חייבים לפעול עכשיו”, אמר שר האוצר במסיבת עיתונאים בירושלים. "
        "עלות התוכנית מוערכת בכשלושה מיליארד ₪ – יותר מכפי שתוכנן בתחילה. "
        "המבקרים טוענים שהעסקים בפריפריה כמעט לא ייהנו מהכסף. "
        "ראשי הערים בחיפה ובבאר שבע בירכו על ההחלטה. "
        "באופוזיציה דרשו לדון בתוכנית שוב בוועדת הכספים של הכנסת. "
        "לפי נתוני הלשכה המרכזית לסטטיסטיקה, האינפלציה ירדה בדצמבר ל-3.2 אחוזים."
    ),
    "ar": (
        "وافقت الحكومة يوم الأربعاء على خطة جديدة لدعم الشركات الصغيرة والمتوسطة. "
        "«علينا أن نتحرك الآن»، قال وزير المالية في مؤتمر صحفي في القاهرة. "
        "وتبلغ تكلفة الخطة نحو ثلاثة مليارات دولار، أي أكثر مما كان متوقعا في البداية. "
        "ويرى المنتقدون أن الشركات في المناطق الريفية لن تستفيد منها إلا قليلا. "
        "ورحبت محافظتا الإسكندرية والجيزة بالقرار، لكن النقابات طالبت بضمانات أوضح. "
        "هل ستكفي هذه الأموال؟ يتساءل كثير من أصحاب المتاجر في الأسواق الشعبية. "
        "وبحسب الجهاز المركزي للتعبئة العامة والإحصاء، تراجع التضخم في ديسمبر إلى 7,4 في المئة."
    ),
}

ENCODINGS = (
    "cp1252",
    "latin-1",
    "cp1250",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "gbk",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
)
_WESTERN = ENCODINGS[:4]
# Languages tried in other single-byte encodings than the first four: Russian in
# KOI8-R too, the rest in the encodings written for them.
_SINGLE_BYTE = {
    "ru": (*_WESTERN, "koi8_r"),
    "uk": ("cp1251", "koi8_u"),
    "tr": ("cp1254",),
    "lt": ("cp1257",),
    "lv": ("cp1257",),
    "et": ("cp1257",),
    "he": ("cp1255",),
    "ar": ("cp1256",),
}
# Chinese, Japanese and Korean are tried in their own encodings only (and the
# others never in those): Latin text with an accent or two in GBK is no real case.
_DOUBLE_BYTE = {
    "zh": ("gbk",),
    "zh-hant": ("big5",),
    "ja": ("shift_jis", "euc_jp"),
    "ko": ("euc_kr",),
}
_DOUBLE_BYTE_ENCODINGS = {encoding for pair in _DOUBLE_BYTE.values() for encoding in pair}

_PLAIN = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "€": "EUR"}
)


def samples(per_language: int, seed: int = 1) -> Iterator[tuple[str, str, str]]:
    """(language, encoding, text) for every representable, non-ASCII sample.

    A sample is a window of 3 to 40 words of a language's paragraph: short
    windows, with one or two accented letters, are the hard cases.
    """
    rng = random.Random(seed)
    for language, paragraph in TEXTS.items():
        # Chinese and Japanese put no spaces between words: a sample is 5 to 80 characters.
        spaced = language not in ("zh", "zh-hant", "ja")
        words = paragraph.split() if spaced else list(paragraph)
        encodings = _DOUBLE_BYTE.get(language) or _SINGLE_BYTE.get(language, _WESTERN)
        for _ in range(per_language):
            count = rng.randint(3, 40) if spaced else rng.randint(5, 80)
            start = rng.randrange(len(words) - 2)
            text = (" " if spaced else "").join(words[start : start + count])
            for encoding in encodings:
                chosen = text.translate(_PLAIN) if encoding == "latin-1" else text
                if not chosen.isascii() and _representable(chosen, encoding):
                    yield language, encoding, chosen


def _representable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def margin_decoder(data: bytes) -> str | None:
    try:
        return decode(data).text
    except NotText:
        return None


def charset_normalizer_decoder(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def accuracy(
    decoder: Callable[[bytes], str | None], per_language: int, seed: int = 1
) -> dict[tuple[str, str], tuple[int, int]]:
    """(language, encoding) -> (right, total)."""
    table: dict[tuple[str, str], tuple[int, int]] = {}
    for language, encoding, text in samples(per_language, seed):
        right, total = table.get((language, encoding), (0, 0))
        ok = decoder(text.encode(encoding)) == text
        table[(language, encoding)] = (right + ok, total + 1)
    return table


def damaged_accuracy(per_language: int, seed: int = 1) -> dict[tuple[str, str], tuple[int, int]]:
    """(double-byte encoding, damage) -> (right, total) for ``decode``.

    The damage is the last byte cut off, or one 0xFF byte put between the
    two middle characters; right is the rest of the text read as written.
    """
    table: dict[tuple[str, str], tuple[int, int]] = {}
    for _, encoding, text in samples(per_language, seed):
        if encoding not in _DOUBLE_BYTE_ENCODINGS:
            continue
        data = text.encode(encoding)
        middle = len(text) // 2
        inserted = text[:middle].encode(encoding) + b"\xff" + text[middle:].encode(encoding)
        cut = margin_decoder(data[:-1])
        put = margin_decoder(inserted)
        for damage, ok in (
            ("cut", cut is not None and cut.removesuffix("\ufffd") == text[:-1]),
            ("0xff", put is not None and put[:middle] + put[middle + 1 :] == text),
        ):
            right, total = table.get((encoding, damage), (0, 0))
            table[(encoding, damage)] = (right + ok, total + 1)
    return table


def _report(name: str, table: dict[tuple[str, str], tuple[int, int]]) -> None:
    print(f"\n{name}")
    print("lang    " + "".join(f"{e:>11}" for e in ENCODINGS))
    for language in TEXTS:
        cells = []
        for encoding in ENCODINGS:
            right, total = table.get((language, encoding), (0, 0))
            cells.append(f"{right:>5}/{total:<5}" if total else f"{'-':>11}")
        print(f"{language:<8}" + "".join(cells))
    for encoding in ENCODINGS:
        right = sum(r for (_, e), (r, _) in table.items() if e == encoding)
        total = sum(t for (_, e), (_, t) in table.items() if e == encoding)
        if total:
            print(f"  {encoding:<8} {right}/{total} = {right / total:.1%}")


def main() -> None:
    per_language = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    for name, decoder in (
        ("margin decode()", margin_decoder),
        ("charset-normalizer alone", charset_normalizer_decoder),
    ):
        started = time.perf_counter()
        table = accuracy(decoder, per_language)
        _report(f"{name} ({time.perf_counter() - started:.1f} s)", table)
    print("\nmargin decode(), damaged double-byte samples")
    for (encoding, damage), (right, total) in damaged_accuracy(per_language).items():
        print(f"  {encoding:<9} {damage:<4} {right}/{total} = {right / total:.1%}")


if __name__ == "__main__":
    main()
