"""The registration serializer shares its bound fields between requests."""

import threading

from django.utils import translation

from registrations.serializers import RegisterSerializer


def test_threads_validating_at_once_each_get_their_own_answer(assembly):
    failures = []

    def validate(index: int, language: str):
        with translation.override(language):
            for round_ in range(50):
                size = (index + round_) % 12  # 0 and 11 are refused
                serializer = RegisterSerializer(
                    data={"party_size": size, "name": f"n{index}"},
                    context={"event_id": assembly.pk},
                )
                valid = serializer.is_valid()
                if 1 <= size <= 10:
                    if not valid or serializer.validated_data["party_size"] != size:
                        failures.append((index, size, serializer.errors))
                    elif serializer.validated_data["name"] != f"n{index}":
                        failures.append((index, "name"))
                else:
                    message = str(serializer.errors["party_size"][0])
                    english = message.startswith("Ensure")
                    if valid or english != (language == "en"):
                        failures.append((index, size, language, message))

    threads = [
        threading.Thread(target=validate, args=(index, ("en", "es", "fr", "pa")[index % 4]))
        for index in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
