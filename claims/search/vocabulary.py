"""The words and phrases claim matching reads a wording with
(`claims.search.wording.read_wording`): negative concord, synonyms mapped to
one word, antonyms (which words replace each other only in different
claims), and the phrase rewrites applied to the folded text before it is
split into words (phrasal verbs, "all … have gone", "zero", bounds written as
negations, "is left"). Lists only: how they are applied is in `wording`.
"""

from claims.search.wording_basics import word_set

# Negative concord: after a first negator these repeat the negation instead of
# undoing it ("no queda ningún migrante", "neither Peru nor Chile").
# Only these n-words repeat a negation; a second "no" undoes it ("no es cierto
# que no haya migrantes" says there are).
CONCORD = {
    "en": word_set("nor"),
    "es": word_set("nunca jamas tampoco ni ningun ninguno ninguna nadie nada"),
}

# Newsroom synonyms, English and Spanish; each group maps to its first word.
SYNONYMS = [
    "send sent deploy dispatch mobilize mobilise enviar envio desplegar desplego despliega"
    " despliegue mandar movilizar",
    "soldier troop military army soldado militar tropa ejercito",
    "police policeman officer cop policia agente",
    "migrant immigrant migrante inmigrante",
    "border frontier frontera fronterizo fronteriza",
    "rise rose risen increase grow grew climb soar jump raise hike boost subir subio subieron"
    " aumentar aumento aumentaron crecer crecio incrementar elevar alza"
    " double triple duplicar duplico triplicar",
    "fall fell fallen drop decrease decline plunge plummet sink reduce cut shrink bajar"
    " bajaron caer cayo cayeron disminuir descender reducir redujo recortar",
    "arrest detain apprehend arrestar arresto detener detuvo capturar aprehender",
    "expel deport expulsar deportar",
    "wage salary pay earnings sueldo salario remuneracion",
    "homicide murder killing homicidio asesinato",
    "crime offence offense delito crimen",
    "complete finish conclude terminar terminado completar concluir culminar",
    "child children kid nino nina menor",
    "reach hit attain llegar llego alcanzar alcanzo",
    "dropout desercion abandono",
    "government administration gobierno",
    "dollar usd dolar dolares",
    "fuel gasoline petrol combustible gasolina",
    "tax levy impuesto tributo",
    "say said state assert affirm decir dijo afirmar afirmo asegurar aseguro declarar",
    "more over mas",
    "less fewer menos",
    "most majority mayoria",
    "people person individual persona gente",
    "foreigner foreign extranjero",
    "vaccination vaccine immunization vacunacion vacuna inmunizacion",
    "coverage rate cobertura tasa",
    "stranded trapped stuck varado atrapado",
    "close shut seal cerrar cerro clausurar",
    "president presidente mandatario",
    "receive get obtain recibir obtener",
    "free gratis gratuito gratuita",
    "protest demonstration rally protesta manifestacion marcha",
    "injure wound herir hirio lesionar",
    "commit perpetrate cometer perpetrar",
    "kill die dead death matar morir murio murieron muerte muerto fallecer fallecio asesinar",
    "price tariff fee cost charge precio tarifa costo cobro",
    "after following despues tras luego",
    "before prior antes",
    "electricity power electric electricidad electrico luz",
    "high highest higher alto alta altos altas maximo",
    "low lowest lower minimo",
    "approve adopt accept aprobar aprobo aceptar acepto",
    "reject rechazar rechazo",
    "ban prohibit forbid outlaw prohibir prohibio vetar",
    "allow permit authorise authorize permitir autorizar autorizo",
    "win won ganar gano",
    "lose lost perder perdio",
    "open abrir abrio",
    # Verbs and trends whose opposites flip a claim (ANTONYMS), with no "not".
    "overcome resolve solve superar supero resolver resolvio solucionar",
    "worsen aggravate deteriorate escalate empeorar empeoro agravar agravo deteriorar",
    "improve mejorar mejoro",
    "withdraw withdrew withdrawn retire recall retirar retiro retirada replegar repliega repliegue",
    "enter entry arrive arrival entrar entraron ingresar ingresaron",
    "leave left exit depart departure emigrate salir salio salieron irse marcharse emigrar",
    "stay remain quedarse quedar permanecer",
    "cross crossing cruzar cruzo cruzaron cruce",
    "impose decree declare imponer impuso decretar decreto",
    "lift revoke repeal levantar levanto revocar derogar",
    "confirm confirmar confirmo",
    "deny denied negar nego niega desmentir desmintio",
    "support apoyar apoyo",
    "oppose opposed oponerse opuso",
    "include incluir incluyo",
    "exclude excluir excluyo",
    "victim victima",
    "perpetrator culprit perpetrador victimario culpable",
    "legal legally legalmente",
    "illegal illegally unlawful ilegal ilegalmente",
    "minority minoria",
    "start begin began begun comenzar comenzo empezar empezo iniciar",
]
# Pairs of words (as mapped above) that flip a claim's meaning like a "not".
ANTONYMS = frozenset(
    frozenset(pair)
    for pair in [
        ("~rise", "~fall"),
        ("~high", "~low"),
        ("~high", "~fall"),
        ("~more", "~less"),
        ("~approve", "~reject"),
        ("~ban", "~allow"),
        ("~win", "~lose"),
        ("~open", "~close"),
        ("~before", "~after"),
        ("~overcome", "~worsen"),
        ("~improve", "~worsen"),
        ("~send", "~withdraw"),
        ("~enter", "~leave"),
        ("~reach", "~leave"),
        ("~stay", "~leave"),
        ("~stay", "~reach"),  # "intend to stay in Chile", "intend to reach Venezuela"
        ("~stay", "~cross"),  # "remained stranded at the border", "crossed the border"
        ("~cross", "~expel"),  # "forced their way across", "forced migrants back across"
        ("~impose", "~lift"),
        ("~say", "~lift"),  # the say group holds "declarar" (un estado de emergencia)
        ("~confirm", "~deny"),
        ("~support", "~oppose"),
        ("~include", "~exclude"),
        ("~victim", "~perpetrator"),
        ("~legal", "~illegal"),
        ("~most", "~minority"),
        ("~start", "~complete"),
    ]
)


def _phrasal(verbs: str, particles: str, gap: tuple[int, int] = (0, 5)) -> str:
    """A verb's forms, then `gap` words (its object: "pulled 180 police
    officers back"), then its particle; whole words of folded text."""
    return (
        rf"\b(?:{'|'.join(verbs.split())})\b"
        rf"((?:[ -][^\W_]+(?:[.,]\d+)*){{{gap[0]},{gap[1]}}}?)[ -](?:{particles})\b"
    )


# Leaving, in the forms that mean it only where they are read ("abandonados"
# alone is "abandoned", "dejó la tasa" is not "left"; "se va a" is a future).
_LEAVE_FORMS = [
    (r"\b(?:get|gets|got|gotten|getting|move|moves|moved|moving) out\b", "leave"),
    (r"\babandon(?:s|ed|ing)? (?=(?:the|their|its|his|her) )", "leave "),
    (
        r"\b(?:abandonar|abandona|abandonan|abandonaba|abandonaban|abandonaron|abandonen"
        r"|(?:ha|han|habia|habian|haya|hayan|hubieran|haber) abandonado)\b",
        "salir",
    ),
    (r"\babandono (?=(?:el|la|los|las|su|sus) )", "salir "),
    (
        r"\b(?:dejar|deja|dejan|dejo|dejaron|dejaba|dejaban|dejen"
        r"|(?:ha|han|habia|habian|haya|hayan) dejado)"
        r"(?= (?:(?:el|la|los|las|su|sus) )?(?:pais|frontera|territorio|ciudad|zona|region"
        r"|albergue|campamento|peru|chile|venezuela|bolivia|colombia|ecuador)\b)",
        "salir",
    ),
    (
        r"\bse (?:va|van|iba|iban|fue|fueron|vaya|vayan|ira|iran|ha ido|han ido|habia ido"
        r"|habian ido|marcha|marchan|marcho|marcharon|marchaba|marchaban|ha marchado"
        r"|han marchado|habia marchado|habian marchado)\b(?! (?:a|al)\b| [a-z]+(?:ando|iendo)\b)",
        "salir",
    ),
]
# Staying, where "seguir" says it: "seguían varados", "siguen en la frontera".
_STAY_FORMS = [
    (
        r"\b(?:sigue|siguen|seguia|seguian|siguio|siguieron|seguira|seguiran|continua|continuan"
        r"|continuaba|continuaban)(?= (?:varad|atrapad|bloquead|retenid|en (?:la |el )?(?:frontera"
        r"|zona|pais|albergue|campamento)\b))",
        "permanecen",
    ),
]
# "All the migrants (who were stranded there) have (now) gone": none remain.
# Only with the auxiliary ("all the migrants who left Peru were stranded" says
# something else) and not right after a relative pronoun.
_GAP = r"((?:[^\s,.;:]+ ){1,8}?)"
_ALL_GONE = [
    (
        rf"\ball (?:of )?(?:the )?{_GAP}(?<!\bwho )(?<!\bthat )(?<!\bwhich )"
        r"(?:(?:have|has|had) (?:now |since |already |all )*(?:gone|left|departed)"
        r"|(?:are|were) (?:now |all )*gone)\b",
        r"no \1remain",
    ),
    (
        rf"\btod[oa]s (?:los |las )?{_GAP}(?<!\bque )(?:ya )?"
        r"(?:se (?:han|habian) ido|se fueron|se (?:han|habian) marchado|se marcharon"
        r"|(?:han|habian) (?:salido|abandonado|dejado)|salieron|abandonaron|dejaron)\b",
        r"ningun \1quedan",
    ),
]
# "Zero migrants": none, where "zero" opens what is counted (not "fell to zero").
_ZERO = [
    (
        r"(?:^|(?<=\bare )|(?<=\bwere )|(?<=\bis )|(?<=\bwas )|(?<=\bhas )|(?<=\bhave )"
        r"|(?<=\bwith )|(?<=, ))zero (?=[^\W\d_]{3,})",
        "no ",
    ),
    (
        r"(?:^|(?<=\bhay )|(?<=\bquedan )|(?<=\bqueda )|(?<=\bcon )|(?<=, ))cero (?=[^\W\d_]{3,})",
        "ningun ",
    ),
]

# Phrases replaced before words are read (folded text, whole words).
PHRASES = [
    *_ALL_GONE,
    # "State of emergency": a noun, not the verb "state" (say).
    (r"\bstate of (?=emergency|siege|alarm|catastrophe|exception)", ""),
    (r"\bestado de (?=emergencia|sitio|excepcion|alarma|catastrofe)", ""),
    # "Force their way across" is crossing; "force migrants (back) across", expelling.
    (
        r"\b(?:force|forces|forced|forcing|push|pushes|pushed|pushing)"
        r" (?:their|his|her|its|our) way (?=across|over|into|through)",
        "cross ",
    ),
    (
        r"\b(?:force|forces|forced|forcing) ((?:[^\W\d_]+ ){1,3}?)(?:back )?(?=across|over)",
        r"expel \1",
    ),
    (_phrasal("force forces forced forcing", "back"), r"expel\1"),
    *_LEAVE_FORMS,
    *_STAY_FORMS,
    (r"\b(?:go|goes|went|gone|going) up\b", "rise"),
    (r"\b(?:go|goes|went|gone|going) down\b", "fall"),
    # Phrasal verbs read as the verb they mean, so that "pulled back" is the
    # opposite of "deployed", and "sent home" is not "sent".
    (_phrasal("pull pulls pulled pulling", "back|out"), r"withdraw\1"),
    (_phrasal("draw draws drew drawn drawing", "down|back"), r"withdraw\1"),
    (r"\bback(?:s|ed|ing)? (?:down|off)\b", "withdraw"),
    (_phrasal("send sends sent sending", "home|back"), r"expel\1"),
    (_phrasal("turn turns turned turning", "back|away"), r"expel\1"),
    (
        _phrasal(
            "enviar envia envian envio enviaron enviara enviaran enviado enviados"
            " mandar manda mandan mando mandaron mandara mandaran mandado mandados",
            "de vuelta|de regreso",
        ),
        r"expel\1",
    ),
    (_phrasal("bring brings brought bringing", "down"), r"fall\1"),
    (_phrasal("come comes came coming", "down", gap=(0, 0)), r"fall\1"),
    (_phrasal("shoot shoots shot shooting", "up", gap=(0, 0)), r"rise\1"),
    # Only with an object between: "drove prices up", not "drove up to the border".
    (
        _phrasal("drive drives drove driven driving push pushes pushed pushing", "up", (1, 5)),
        r"rise\1",
    ),
    (
        _phrasal("drive drives drove driven driving push pushes pushed pushing", "down", (1, 5)),
        r"fall\1",
    ),
    (_phrasal("scale scales scaled scaling cut cuts cutting", "back"), r"fall\1"),
    (
        _phrasal(
            "shut shuts shutting seal seals sealed sealing close closes closed closing", "down|off"
        ),
        r"close\1",
    ),
    (_phrasal("open opens opened opening", "up"), r"open\1"),
    (_phrasal("call calls called calling", "off"), r"lift\1"),
    (r"\b(?:dar|da|dan|dio|dieron|dara|daran) marcha atras\b", "retirar"),
    (r"\b(?:echarse|se echa|se echan|se echo|se echaron) (?:para )?atras\b", "retirar"),
    (r"\b(?:per cent|percent|por ciento|por 100|porciento|pct)\b", "%"),
    (r"\b(?:half|mitad)\b", "50 %"),
    *_ZERO,
    # Double negatives that bound a figure: "no fewer than 300" is "at least 300".
    (r"\b(?:no|not) (?:fewer|less) than\b", "at least"),
    (r"\b(?:no|not) more than\b", "up to"),
    (r"\bno menos de\b", "al menos"),
    (r"\bno mas de\b", "hasta"),
    # "is left", "left stranded": what remains, not the verb leave.
    (r"\b(?:is|are|was|were|be|been|being|get|gets|got) left\b", "remain"),
    (r"\bleft (stranded|behind|stuck|trapped|waiting|without)\b", r"remain \1"),
]
