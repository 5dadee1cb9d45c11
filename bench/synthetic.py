"""Synthetic newsroom wording for `manage.py generate_newsroom` (benchmarks and
load tests; never the demo, which is built from real reports).

Claims are drawn from templates in English and Spanish whose slots are filled
from vocabularies of places, people, institutions, indicators and groups, with
figures, years and trends, so that words have realistic spreads: a place or a
name is rare, "border" or "inflation" is common, and any two generated claims
rarely share their wording. Choices follow a Zipf-like skew, as topics in a
real newsroom do.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    return text.split()


PLACES = [
    "Lima",
    "Arequipa",
    "Cusco",
    "Trujillo",
    "Chiclayo",
    "Piura",
    "Iquitos",
    "Tacna",
    "Puno",
    "Tumbes",
    "Huancayo",
    "Ayacucho",
    "Cajamarca",
    "Chimbote",
    "Pucallpa",
    "Juliaca",
    "Ica",
    "Moquegua",
    "Huaraz",
    "Tarapoto",
    "Santiago",
    "Arica",
    "Iquique",
    "Antofagasta",
    "Valparaíso",
    "Concepción",
    "Temuco",
    "Calama",
    "Copiapó",
    "Rancagua",
    "Talca",
    "Osorno",
    "Bogotá",
    "Medellín",
    "Cali",
    "Barranquilla",
    "Cartagena",
    "Cúcuta",
    "Quito",
    "Guayaquil",
    "Cuenca",
    "Caracas",
    "Maracaibo",
    "Valencia",
    "La Paz",
    "Cochabamba",
    "Santa Cruz",
    "Asunción",
    "Montevideo",
    "Buenos Aires",
    "Córdoba",
    "Rosario",
    "Mendoza",
    "Salta",
    "Tucumán",
    "São Paulo",
    "Manaus",
    "Ciudad de México",
    "Guadalajara",
    "Monterrey",
    "Tijuana",
    "Ciudad de Panamá",
    "San José",
    "Tegucigalpa",
    "Managua",
    "San Salvador",
    "Chacalluta",
    "Desaguadero",
    "Colchane",
    "Necoclí",
    "Darién",
    "Madre de Dios",
    "Loreto",
    "Callao",
    "Miraflores",
    "Chorrillos",
    "Comas",
    "Ate",
    "Villa El Salvador",
    "San Juan de Lurigancho",
    "Independencia",
    "Carabayllo",
]
COUNTRIES_EN = _words(
    "Peru Chile Colombia Ecuador Venezuela Bolivia Argentina Brazil Mexico Paraguay Uruguay "
    "Panama Haiti Cuba Guatemala Honduras Nicaragua Spain"
)
COUNTRIES_ES = _words(
    "Perú Chile Colombia Ecuador Venezuela Bolivia Argentina Brasil México Paraguay Uruguay "
    "Panamá Haití Cuba Guatemala Honduras Nicaragua España"
)
FIRST_NAMES = _words(
    "Dina Pedro Pablo Gabriel Gustavo Daniel Luis Rosa María José Keiko Rafael Verónika "
    "Martín Alberto Ollanta Ignacio Carolina Camila Jorge Mercedes Alejandro Fernando Lucía "
    "Patricia Ricardo Sofía Manuel Claudia Andrés Natalia Javier Elena Hernán Beatriz Raúl "
    "Susana Óscar Milagros Julio César Ana Teresa Tomás Valeria Diego Isabel Francisco Gloria"
)
LAST_NAMES = _words(
    "Boluarte Castillo Kuczynski Boric Petro Lasso Arce Milei Lula Noboa Higueras Otárola "
    "Fujimori Vizcarra Humala Toledo García Sagasti Merino Bachelet Piñera Kast Tohá Jara "
    "Quispe Mamani Huamán Flores Rodríguez Sánchez Ramírez Torres Rojas Vargas Castro Díaz "
    "Mendoza Chávez Gutiérrez Paredes Salazar Ríos Cárdenas Espinoza Aguilar Valdivia Cornejo "
    "Zegarra Benavides Palacios Villanueva Tapia Orellana Carrasco Fuentes Muñoz Soto "
    "Contreras"
)
ROLES_EN = [
    "President",
    "Interior Minister",
    "Health Minister",
    "Economy Minister",
    "Mayor",
    "Governor",
    "Senator",
    "Congresswoman",
    "Congressman",
    "Police chief",
    "Party leader",
    "Trade union leader",
    "Central bank governor",
]
INDICATORS = [
    ("unemployment", "el desempleo"),
    ("inflation", "la inflación"),
    ("poverty", "la pobreza"),
    ("extreme poverty", "la pobreza extrema"),
    ("the homicide rate", "la tasa de homicidios"),
    ("robberies", "los robos"),
    ("school dropout", "la deserción escolar"),
    ("child anemia", "la anemia infantil"),
    ("vaccination coverage", "la cobertura de vacunación"),
    ("informal employment", "el empleo informal"),
    ("the minimum wage", "el sueldo mínimo"),
    ("fuel prices", "el precio del combustible"),
    ("electricity tariffs", "las tarifas eléctricas"),
    ("water tariffs", "las tarifas de agua"),
    ("public debt", "la deuda pública"),
    ("the fiscal deficit", "el déficit fiscal"),
    ("copper exports", "las exportaciones de cobre"),
    ("tourism revenue", "los ingresos por turismo"),
    ("deforestation", "la deforestación"),
    ("dengue cases", "los casos de dengue"),
    ("maternal mortality", "la mortalidad materna"),
    ("food prices", "el precio de los alimentos"),
    ("rents", "los alquileres"),
    ("extortion cases", "los casos de extorsión"),
    ("traffic deaths", "las muertes en las carreteras"),
    ("illegal mining", "la minería ilegal"),
    ("coca cultivation", "el cultivo de coca"),
    ("teacher salaries", "el sueldo de los docentes"),
    ("pension payments", "el pago de pensiones"),
    ("hospital waiting times", "la espera en los hospitales"),
]
GROUPS = [
    ("migrants", "los migrantes"),
    ("Venezuelan migrants", "los migrantes venezolanos"),
    ("Haitian migrants", "los migrantes haitianos"),
    ("asylum seekers", "los solicitantes de asilo"),
    ("pensioners", "los jubilados"),
    ("teachers", "los docentes"),
    ("nurses", "las enfermeras"),
    ("doctors", "los médicos"),
    ("farmers", "los agricultores"),
    ("miners", "los mineros"),
    ("students", "los estudiantes"),
    ("street vendors", "los vendedores ambulantes"),
    ("taxi drivers", "los taxistas"),
    ("police officers", "los policías"),
    ("soldiers", "los militares"),
    ("public employees", "los empleados públicos"),
    ("indigenous communities", "las comunidades indígenas"),
    ("small businesses", "las pequeñas empresas"),
    ("foreign workers", "los trabajadores extranjeros"),
    ("children under five", "los niños menores de cinco años"),
]
BENEFITS = [
    ("free healthcare", "atención médica gratuita"),
    ("a monthly bonus", "un bono mensual"),
    ("housing subsidies", "subsidios de vivienda"),
    ("free university places", "vacantes universitarias gratuitas"),
    ("tax exemptions", "exoneraciones tributarias"),
    ("food vouchers", "vales de alimentos"),
    ("free public transport", "transporte público gratuito"),
    ("priority for jobs", "prioridad en los empleos"),
]
INSTITUTIONS = [
    ("Congress", "el Congreso"),
    ("the government", "el gobierno"),
    ("the Senate", "el Senado"),
    ("the Supreme Court", "la Corte Suprema"),
    ("the Interior Ministry", "el Ministerio del Interior"),
    ("the Health Ministry", "el Ministerio de Salud"),
    ("the Central Bank", "el Banco Central"),
    ("the electoral board", "el jurado electoral"),
    ("the city council", "el concejo municipal"),
    ("the police", "la policía"),
    ("the army", "el ejército"),
    ("the migration office", "la oficina de migraciones"),
]
POLICIES = [
    ("pension reform", "la reforma de pensiones"),
    ("a state of emergency", "un estado de emergencia"),
    ("a new migration law", "una nueva ley de migraciones"),
    ("a tax on fuel", "un impuesto al combustible"),
    ("a ban on street vending", "la prohibición del comercio ambulatorio"),
    ("a border wall", "un muro fronterizo"),
    ("a curfew", "un toque de queda"),
    ("a minimum wage increase", "un aumento del sueldo mínimo"),
    ("the privatisation of water", "la privatización del agua"),
    ("free school meals", "los desayunos escolares gratuitos"),
    ("a mining concession", "una concesión minera"),
    ("early elections", "el adelanto de elecciones"),
]
TRENDS = [
    ("rose", "subió"),
    ("fell", "bajó"),
    ("doubled", "se duplicó"),
    ("tripled", "se triplicó"),
    ("reached a record", "alcanzó un récord"),
    ("fell to its lowest level", "cayó a su nivel más bajo"),
]
FORCES = [
    ("soldiers", "militares"),
    ("police officers", "policías"),
    ("troops", "efectivos"),
    ("border agents", "agentes fronterizos"),
]
MONTHS_EN = "January February March April May June July August September October November December"
MONTHS_ES = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
MONTHS = list(zip(MONTHS_EN.split(), MONTHS_ES.split(), strict=True))
EVENTS = [
    ("crossed the border", "cruzaron la frontera"),
    ("were stranded", "quedaron varados"),
    ("were deported", "fueron deportados"),
    ("were arrested", "fueron detenidos"),
    ("died", "murieron"),
    ("lost their jobs", "perdieron su empleo"),
    ("were left without water", "se quedaron sin agua"),
    ("applied for asylum", "pidieron asilo"),
]

CLAIM_TEMPLATES_EN = [
    "{country} sent {n} {force} to its border with {country2} in {month} {year}.",
    "{indicator_cap} in {place} {trend} in {year}.",
    "{indicator_cap} in {place} {change} by {pct}% under {person}.",
    "{group_cap} in {place} receive {benefit} that other residents do not get.",
    "{place} has the highest {indicator_bare} in {country}.",
    "More than {n} {group} {event} in {place} in {month} {year}.",
    "{institution_cap} approved {policy} without a debate in {year}.",
    "{institution_cap} spent {money} million dollars on {policy} in {place}.",
    "{pct}% of {group} in {place} do not have access to {benefit}.",
    "{group_cap} commit more crimes than {country_people} in {place}.",
    "{indicator_cap} has not changed in {place} since {year}.",
    "{country} will expel all {group} by {month} {year}.",
    "One in {k} {group} in {place} works without a contract.",
    "{person} said {indicator} {trend} during the pandemic.",
]
CLAIM_TEMPLATES_ES = [
    "{country} envió {n} {force} a su frontera con {country2} en {month} de {year}.",
    "{indicator_cap} en {place} {trend} en {year}.",
    "{indicator_cap} en {place} {change} un {pct}% con {person}.",
    "{group_cap} en {place} reciben {benefit} que los demás vecinos no tienen.",
    "{place} registra la cifra más alta de {indicator_bare} de {country}.",
    "Más de {n} personas {event} en {place} en {month} de {year}.",
    "{institution_cap} aprobó {policy} sin debate en {year}.",
    "{institution_cap} gastó {money} millones de dólares en {policy} en {place}.",
    "El {pct}% de {group} en {place} no tiene acceso a {benefit}.",
    "{group_cap} cometen más delitos que los {country_people} en {place}.",
    "{indicator_cap} no ha cambiado en {place} desde {year}.",
    "{country} expulsará a todos {group} antes de {month} de {year}.",
    "Uno de cada {k} de {group} en {place} trabaja sin contrato.",
    "{person} dijo que {indicator} {trend} durante la pandemia.",
]
PEOPLE_EN = {"Peru": "Peruvians", "Chile": "Chileans", "Colombia": "Colombians"}
PEOPLE_ES = {"Perú": "peruanos", "Chile": "chilenos", "Colombia": "colombianos"}

CONCLUSIONS_EN = [
    "Official figures for {year} do not support this.",
    "The figure is close to the official one, but the period is wrong.",
    "No record of this exists in {institution}'s data.",
    "The data show the opposite trend since {year}.",
    "The claim exaggerates a real increase.",
    "It is accurate according to the {year} census.",
]
CONCLUSIONS_ES = [
    "Las cifras oficiales de {year} no lo respaldan.",
    "La cifra se acerca a la oficial, pero el periodo es incorrecto.",
    "No hay registro de esto en los datos de {institution}.",
    "Los datos muestran la tendencia contraria desde {year}.",
    "La afirmación exagera un aumento real.",
    "Es correcto según el censo de {year}.",
]
EXPLANATIONS_EN = [
    "We compared the claim with the {year} report of {institution} and with data from "
    "{place}. {indicator_cap} {trend} between {year} and {year2}, according to the "
    "national statistics office.",
    "{person} did not answer our request for the source of the figure. Records from "
    "{institution} show {n} cases in {place} in {year}.",
    "Independent researchers in {place} estimate that {indicator} changed by {pct}% over the "
    "period, far from what the claim says.",
]
EXPLANATIONS_ES = [
    "Comparamos la afirmación con el informe de {year} de {institution} y con datos de "
    "{place}. {indicator_cap} {trend} entre {year} y {year2}, según el instituto de "
    "estadística.",
    "{person} no respondió a nuestra consulta sobre la fuente de la cifra. Los registros de "
    "{institution} muestran {n} casos en {place} en {year}.",
    "Investigadores independientes en {place} estiman que {indicator} varió un {pct}% en el "
    "periodo, lejos de lo que dice la afirmación.",
]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Zipf:
    """Pick from a sequence with a Zipf-like skew (the first items most often)."""

    def __init__(self, items, rng: random.Random, exponent: float = 0.9):
        self.items = list(items)
        self.rng = rng
        weights = [1 / (rank**exponent) for rank in range(1, len(self.items) + 1)]
        total = sum(weights)
        self.cumulative = []
        running = 0.0
        for weight in weights:
            running += weight / total
            self.cumulative.append(running)

    def __call__(self):
        index = bisect.bisect_left(self.cumulative, self.rng.random())
        return self.items[min(index, len(self.items) - 1)]


@dataclass
class Wording:
    language: str
    text: str
    conclusion: str
    explanation: str
    quotes: list[str]


class WordingFactory:
    def __init__(self, rng: random.Random):
        self.rng = rng
        shuffled = list(PLACES)
        rng.shuffle(shuffled)
        self.place = Zipf(shuffled, rng)
        self.indicator = Zipf(INDICATORS, rng, 0.7)
        self.group = Zipf(GROUPS, rng, 0.7)
        self.institution = Zipf(INSTITUTIONS, rng, 0.7)
        self.policy = Zipf(POLICIES, rng, 0.7)
        self.country = Zipf(range(len(COUNTRIES_EN)), rng, 1.0)

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def slots(self, spanish: bool) -> dict[str, str]:
        rng = self.rng
        i = 1 if spanish else 0
        countries = COUNTRIES_ES if spanish else COUNTRIES_EN
        c1, c2 = self.country(), self.country()
        if c1 == c2:
            c2 = (c2 + 1) % len(countries)
        indicator = self.indicator()[i]
        group = self.group()[i]
        institution = self.institution()[i]
        month = rng.choice(MONTHS)[i]
        people = PEOPLE_ES if spanish else PEOPLE_EN
        country = countries[c1]
        bare = indicator.split(" ", 1)[1] if spanish or indicator.startswith("the ") else indicator
        return {
            "country": country,
            "country2": countries[c2],
            "country_people": people.get(country, "nacionales" if spanish else "nationals"),
            "place": self.place(),
            "person": self.person(),
            "n": f"{rng.choice([12, 35, 80, 120, 150, 180, 200, 250, 300, 450, 500, 700])}"
            if rng.random() < 0.5
            else f"{rng.randint(2, 95) * 100:,}".replace(",", "." if spanish else ","),
            "k": str(rng.randint(2, 10)),
            "pct": str(rng.choice([5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 80, 90])),
            "money": str(rng.choice([2, 3, 5, 8, 12, 20, 45, 60, 100, 250])),
            "year": str(rng.randint(2012, 2025)),
            "year2": str(rng.randint(2012, 2025)),
            "month": month,
            "force": rng.choice(FORCES)[i],
            "indicator": indicator,
            "indicator_cap": _cap(indicator),
            "indicator_bare": bare,
            "trend": rng.choice(TRENDS)[i],
            "change": rng.choice(TRENDS[:2])[i],
            "group": group,
            "group_cap": _cap(group),
            "benefit": rng.choice(BENEFITS)[i],
            "institution": institution,
            "institution_cap": _cap(institution),
            "policy": self.policy()[i],
            "event": rng.choice(EVENTS)[i],
        }

    def wording(self, language: str) -> Wording:
        spanish = language == "es"
        rng = self.rng
        slots = self.slots(spanish)
        text = rng.choice(CLAIM_TEMPLATES_ES if spanish else CLAIM_TEMPLATES_EN).format(**slots)
        conclusion = rng.choice(CONCLUSIONS_ES if spanish else CONCLUSIONS_EN).format(**slots)
        explanation = " ".join(
            t.format(**slots)
            for t in rng.sample(EXPLANATIONS_ES if spanish else EXPLANATIONS_EN, 2)
        )
        quote = text.rstrip(".")
        quotes = [quote[:1].lower() + quote[1:] if rng.random() < 0.3 else quote]
        if rng.random() < 0.5:
            quotes.append(
                ("Lo repito: " if spanish else "I repeat: ") + quote[:1].lower() + quote[1:]
            )
        return Wording(language, text, conclusion, explanation, quotes)
