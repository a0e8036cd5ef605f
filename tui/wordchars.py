"""Unicode tables of what tantivy's simple tokenizer calls a word, generated from tantivy itself.

The index splits text on every character that Rust's ``char::is_alphanumeric``
rejects; Python's ``\\w`` disagrees on about 1,400 assigned characters (marks
that Rust counts as letters: Hebrew points, Indic vowel signs, Arabic vowel
marks). ``tests/test_words.py`` probes tantivy for every code point and fails,
printing the new tables, when an upgrade of tantivy changes them. Characters past
U+FFFF are kept apart: a regex class holding many ranges of them is checked range by
range, 50 times slower than a class of the first 65,536 (``tui.words._one_of``).
"""

# Chinese and Japanese characters (with kana): scripts that put no spaces between words.
CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff"
)

# Every script written without spaces between words: Chinese and Japanese, and Thai, Lao,
# Myanmar and Khmer. Search takes each of their characters for a word.
NO_SPACES = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
UNSPACED = CJK + NO_SPACES

# Word characters to tantivy that Python's \w does not match (outside the unspaced scripts).
WORD_EXTRA = (
    "\u0345\u0363-\u036f\u05b0-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u0657\u0659-\u065f\u0670\u06d6-\u06dc\u06e1-\u06e4"
    "\u06e7-\u06e8\u06ed\u0711\u0730-\u073f\u07a6-\u07b0\u0816-\u0817\u081b-\u0823"
    "\u0825-\u0827\u0829-\u082c\u088f\u0897\u08d4-\u08df\u08e3-\u08e9\u08f0-\u0903"
    "\u093a-\u093b\u093e-\u094c\u094e-\u094f\u0955-\u0957\u0962-\u0963\u0981-\u0983"
    "\u09be-\u09c4\u09c7-\u09c8\u09cb-\u09cc\u09d7\u09e2-\u09e3\u0a01-\u0a03"
    "\u0a3e-\u0a42\u0a47-\u0a48\u0a4b-\u0a4c\u0a51\u0a70-\u0a71\u0a75\u0a81-\u0a83"
    "\u0abe-\u0ac5\u0ac7-\u0ac9\u0acb-\u0acc\u0ae2-\u0ae3\u0afa-\u0afc\u0b01-\u0b03"
    "\u0b3e-\u0b44\u0b47-\u0b48\u0b4b-\u0b4c\u0b56-\u0b57\u0b62-\u0b63\u0b82"
    "\u0bbe-\u0bc2\u0bc6-\u0bc8\u0bca-\u0bcc\u0bd7\u0c00-\u0c04\u0c3e-\u0c44"
    "\u0c46-\u0c48\u0c4a-\u0c4c\u0c55-\u0c56\u0c5c\u0c62-\u0c63\u0c81-\u0c83"
    "\u0cbe-\u0cc4\u0cc6-\u0cc8\u0cca-\u0ccc\u0cd5-\u0cd6\u0cdc\u0ce2-\u0ce3\u0cf3"
    "\u0d00-\u0d03\u0d3e-\u0d44\u0d46-\u0d48\u0d4a-\u0d4c\u0d57\u0d62-\u0d63"
    "\u0d81-\u0d83\u0dcf-\u0dd4\u0dd6\u0dd8-\u0ddf\u0df2-\u0df3\u0f71-\u0f83"
    "\u0f8d-\u0f97\u0f99-\u0fbc\u1712-\u1713\u1732-\u1733\u1752-\u1753\u1772-\u1773"
    "\u1885-\u1886\u18a9\u1920-\u192b\u1930-\u1938\u1a17-\u1a1b\u1a55-\u1a5e"
    "\u1a61-\u1a74\u1abf-\u1ac0\u1acc-\u1ace\u1b00-\u1b04\u1b35-\u1b43\u1b80-\u1b82"
    "\u1ba1-\u1ba9\u1bac-\u1bad\u1be7-\u1bf1\u1c24-\u1c36\u1c89-\u1c8a\u1dd3-\u1df4"
    "\u24b6-\u24e9\u2de0-\u2dff\ua674-\ua67b\ua69e-\ua69f\ua7cb-\ua7cf\ua7d2\ua7d4"
    "\ua7da-\ua7dc\ua7f1\ua802\ua80b\ua823-\ua827\ua880-\ua881\ua8b4-\ua8c3\ua8c5"
    "\ua8ff\ua926-\ua92a\ua947-\ua952\ua980-\ua983\ua9b4-\ua9bf\ua9e5\uaa29-\uaa36"
    "\uaa43\uaa4c-\uaa4d\uaa7b-\uaa7d\uaab0\uaab2-\uaab4\uaab7-\uaab8\uaabe"
    "\uaaeb-\uaaef\uaaf5\uabe3-\uabea\ufb1e"
)
WORD_EXTRA_ASTRAL = (
    "\U00010376-\U0001037a\U000105c0-\U000105f3\U00010940-\U00010959"
    "\U00010a01-\U00010a03\U00010a05-\U00010a06\U00010a0c-\U00010a0f"
    "\U00010d24-\U00010d27\U00010d40-\U00010d65\U00010d69\U00010d6f-\U00010d85"
    "\U00010eab-\U00010eac\U00010ec2-\U00010ec7\U00010efa-\U00010efc"
    "\U00011000-\U00011002\U00011038-\U00011045\U00011073-\U00011074"
    "\U00011080-\U00011082\U000110b0-\U000110b8\U000110c2\U00011100-\U00011102"
    "\U00011127-\U00011132\U00011145-\U00011146\U00011180-\U00011182"
    "\U000111b3-\U000111bf\U000111ce-\U000111cf\U0001122c-\U00011234\U00011237"
    "\U0001123e-\U00011241\U000112df-\U000112e8\U00011300-\U00011303"
    "\U0001133e-\U00011344\U00011347-\U00011348\U0001134b-\U0001134c\U00011357"
    "\U00011362-\U00011363\U00011380-\U00011389\U0001138b\U0001138e"
    "\U00011390-\U000113b5\U000113b7-\U000113c0\U000113c2\U000113c5"
    "\U000113c7-\U000113ca\U000113cc-\U000113cd\U000113d1\U000113d3"
    "\U00011435-\U00011441\U00011443-\U00011445\U000114b0-\U000114c1"
    "\U000115af-\U000115b5\U000115b8-\U000115be\U000115dc-\U000115dd"
    "\U00011630-\U0001163e\U00011640\U000116ab-\U000116b5\U000116d0-\U000116e3"
    "\U0001171d-\U0001172a\U0001182c-\U00011838\U00011930-\U00011935"
    "\U00011937-\U00011938\U0001193b-\U0001193c\U00011940\U00011942"
    "\U000119d1-\U000119d7\U000119da-\U000119df\U000119e4\U00011a01-\U00011a0a"
    "\U00011a35-\U00011a39\U00011a3b-\U00011a3e\U00011a51-\U00011a5b"
    "\U00011a8a-\U00011a97\U00011b60-\U00011b67\U00011bc0-\U00011be0"
    "\U00011bf0-\U00011bf9\U00011c2f-\U00011c36\U00011c38-\U00011c3e"
    "\U00011c92-\U00011ca7\U00011ca9-\U00011cb6\U00011d31-\U00011d36\U00011d3a"
    "\U00011d3c-\U00011d3d\U00011d3f-\U00011d41\U00011d43\U00011d47"
    "\U00011d8a-\U00011d8e\U00011d90-\U00011d91\U00011d93-\U00011d96"
    "\U00011db0-\U00011ddb\U00011de0-\U00011de9\U00011ef3-\U00011ef6"
    "\U00011f00-\U00011f10\U00011f12-\U00011f3a\U00011f3e-\U00011f40"
    "\U00011f50-\U00011f59\U0001342f\U00013441-\U00013446\U00013460-\U000143fa"
    "\U00016100-\U0001612e\U00016130-\U00016139\U00016d40-\U00016d6c"
    "\U00016d70-\U00016d79\U00016ea0-\U00016eb8\U00016ebb-\U00016ed3\U00016f4f"
    "\U00016f51-\U00016f87\U00016f8f-\U00016f92\U00016ff0-\U00016ff6"
    "\U000187f8-\U000187ff\U00018cff\U00018d09-\U00018d1e\U00018d80-\U00018df2"
    "\U0001b132\U0001b155\U0001bc9e\U0001ccf0-\U0001ccf9\U0001d2c0-\U0001d2d3"
    "\U0001df25-\U0001df2a\U0001e000-\U0001e006\U0001e008-\U0001e018"
    "\U0001e01b-\U0001e021\U0001e023-\U0001e024\U0001e026-\U0001e02a"
    "\U0001e030-\U0001e06d\U0001e08f\U0001e4d0-\U0001e4eb\U0001e4f0-\U0001e4f9"
    "\U0001e5d0-\U0001e5ed\U0001e5f0-\U0001e5fa\U0001e6c0-\U0001e6de"
    "\U0001e6e0-\U0001e6f5\U0001e6fe-\U0001e6ff\U0001e947\U0001f130-\U0001f149"
    "\U0001f150-\U0001f169\U0001f170-\U0001f189"
)
# Combining marks that are not word characters to tantivy: it splits a word at them.
MARKS = (
    "\u0300-\u0344\u0346-\u0362\u0483-\u0489\u0591-\u05af\u0658\u06df-\u06e0"
    "\u06ea-\u06ec\u0740-\u074a\u07eb-\u07f3\u07fd\u0818-\u0819\u082d\u0859-\u085b"
    "\u0898-\u089f\u08ca-\u08d3\u08e0-\u08e1\u08ea-\u08ef\u093c\u094d\u0951-\u0954"
    "\u09bc\u09cd\u09fe\u0a3c\u0a4d\u0abc\u0acd\u0afd-\u0aff\u0b3c\u0b4d\u0b55\u0bcd"
    "\u0c3c\u0c4d\u0cbc\u0ccd\u0d3b-\u0d3c\u0d4d\u0dca\u0e47-\u0e4c\u0e4e\u0eba"
    "\u0ec8-\u0ecc\u0f18-\u0f19\u0f35\u0f37\u0f39\u0f3e-\u0f3f\u0f84\u0f86-\u0f87"
    "\u0fc6\u1037\u1039-\u103a\u135d-\u135f\u1714-\u1715\u1734\u17b4-\u17b5"
    "\u17c9-\u17d3\u17dd\u180b-\u180d\u180f\u1939-\u193b\u1a60\u1a75-\u1a7c\u1a7f"
    "\u1ab0-\u1abe\u1ac1-\u1acb\u1b34\u1b44\u1b6b-\u1b73\u1baa-\u1bab\u1be6"
    "\u1bf2-\u1bf3\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce8\u1ced\u1cf4\u1cf7-\u1cf9"
    "\u1dc0-\u1dd2\u1df5-\u1dff\u20d0-\u20f0\u2cef-\u2cf1\u2d7f\u302a-\u302f"
    "\u3099-\u309a\ua66f-\ua672\ua67c-\ua67d\ua6f0-\ua6f1\ua806\ua82c\ua8c4"
    "\ua8e0-\ua8f1\ua92b-\ua92d\ua953\ua9b3\ua9c0\uaabf\uaac1\uaaf6\uabec-\uabed"
    "\ufe00-\ufe0f\ufe20-\ufe2f"
)
MARKS_ASTRAL = (
    "\U000101fd\U000102e0\U00010a38-\U00010a3a\U00010a3f\U00010ae5-\U00010ae6"
    "\U00010f46-\U00010f50\U00010f82-\U00010f85\U00011046\U00011070\U0001107f"
    "\U000110b9-\U000110ba\U00011133-\U00011134\U00011173\U000111c0"
    "\U000111c9-\U000111cc\U00011235-\U00011236\U000112e9-\U000112ea"
    "\U0001133b-\U0001133c\U0001134d\U00011366-\U0001136c\U00011370-\U00011374"
    "\U00011442\U00011446\U0001145e\U000114c2-\U000114c3\U000115bf-\U000115c0"
    "\U0001163f\U000116b6-\U000116b7\U0001172b\U00011839-\U0001183a"
    "\U0001193d-\U0001193e\U00011943\U000119e0\U00011a33-\U00011a34\U00011a47"
    "\U00011a98-\U00011a99\U00011c3f\U00011d42\U00011d44-\U00011d45\U00011d97"
    "\U00016af0-\U00016af4\U00016b30-\U00016b36\U00016fe4\U0001bc9d"
    "\U0001cf00-\U0001cf2d\U0001cf30-\U0001cf46\U0001d165-\U0001d169"
    "\U0001d16d-\U0001d172\U0001d17b-\U0001d182\U0001d185-\U0001d18b"
    "\U0001d1aa-\U0001d1ad\U0001d242-\U0001d244\U0001da00-\U0001da36"
    "\U0001da3b-\U0001da6c\U0001da75\U0001da84\U0001da9b-\U0001da9f"
    "\U0001daa1-\U0001daaf\U0001e130-\U0001e136\U0001e2ae\U0001e2ec-\U0001e2ef"
    "\U0001e8d0-\U0001e8d6\U0001e944-\U0001e946\U0001e948-\U0001e94a"
    "\U000e0100-\U000e01ef"
)
