from django.db import migrations

# (slug, label, label_es, value, colour, definition, definition_es), best first.
DEFAULT_SCALE = [
    ("true", "True", "Verdadero", 7, "#1a7f37",
     "The claim is accurate and nothing significant is missing.",
     "La afirmación es precisa y no le falta nada significativo."),
    ("mostly-true", "Mostly true", "Mayormente verdadero", 6, "#4d7c0f",
     "The claim is accurate but needs clarification or additional information.",
     "La afirmación es precisa, pero necesita aclaraciones o información adicional."),
    ("half-true", "Half true", "Verdad a medias", 5, "#8a6100",
     "The claim is partially accurate but leaves out important details or takes "
     "things out of context.",
     "La afirmación es parcialmente precisa, pero omite detalles importantes o saca "
     "las cosas de contexto."),
    ("misleading", "Misleading", "Engañoso", 4, "#9a4d00",
     "The claim contains accurate elements but is presented in a way that leaves a "
     "false impression.",
     "La afirmación contiene elementos precisos, pero se presenta de un modo que deja "
     "una impresión falsa."),
    ("unsupported", "Unsupported (no evidence)", "Sin sustento (sin evidencia)", 3, "#5b6470",
     "The claimant offered no evidence, and none that we could find supports the claim.",
     "Quien lo afirma no presentó evidencia y no encontramos ninguna que respalde la "
     "afirmación."),
    ("mostly-false", "Mostly false", "Mayormente falso", 2, "#b42318",
     "The claim contains an element of truth but ignores facts that would give a "
     "different impression.",
     "La afirmación contiene un elemento de verdad, pero ignora hechos que darían una "
     "impresión distinta."),
    ("false", "False", "Falso", 1, "#8b0000",
     "The claim is not accurate.",
     "La afirmación no es precisa."),
    ("not-checkable", "Not checkable (opinion)", "No verificable (opinión)", None, "#3d4f7c",
     "An opinion, prediction or value judgement that evidence cannot prove true or "
     "false. This is an outcome, not a rating.",
     "Una opinión, predicción o juicio de valor que la evidencia no puede demostrar "
     "verdadero o falso. Es un resultado, no una calificación."),
]


def create_default_scale(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    scale, _ = RatingScale.objects.get_or_create(
        name="Veraz default", defaults={"best_value": 7, "worst_value": 1, "is_default": True}
    )
    for order, (slug, label, label_es, value, colour, definition, definition_es) in enumerate(
        DEFAULT_SCALE, start=1
    ):
        Rating.objects.get_or_create(
            slug=slug,
            defaults={
                "scale": scale,
                "label": label,
                "label_es": label_es,
                "value": value,
                "colour": colour,
                "definition": definition,
                "definition_es": definition_es,
                "order": order,
            },
        )


def remove_default_scale(apps, schema_editor):
    apps.get_model("claims", "Rating").objects.filter(scale__name="Veraz default").delete()
    apps.get_model("claims", "RatingScale").objects.filter(name="Veraz default").delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(create_default_scale, remove_default_scale)]
