from django.core.management.base import BaseCommand, CommandError

from treaties.merges import KINDS, MergeError, undo_merge


class Command(BaseCommand):
    help = (
        "Merge two actors or sources, or undo a merge, as the admin does (and as the worker "
        "does with the large merges the admin queues), at once (treaties/merges.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--winner", type=int, help="the id of the record that stays")
        parser.add_argument("--loser", type=int, help="the id of its duplicate")
        parser.add_argument("--undo", type=int, metavar="MERGE", help="the id of a merge")

    def handle(self, *, kind, winner, loser, undo, **options):
        model, merge_model, merge_records = KINDS[kind]
        try:
            if undo is not None:
                merge = merge_model.objects.filter(pk=undo).first()
                if merge is None:
                    raise CommandError(f"There is no {kind} merge {undo}.")
                undo_merge(merge)
                self.stdout.write(f"Undone: “{merge.loser_name}” is back, with its rows.")
                return
            if winner is None or loser is None:
                raise CommandError("Give --winner and --loser (their ids), or --undo.")
            records = model._base_manager.in_bulk([winner, loser])
            if len(records) < 2 and winner != loser:
                missing = [pk for pk in (winner, loser) if pk not in records]
                raise CommandError(f"There is no {kind} {missing[0]}.")
            merge = merge_records(winner=records[winner], loser=records[loser])
        except MergeError as error:
            raise CommandError(str(error)) from error
        moved = sum(len(ids) for ids in merge.moved.values())
        self.stdout.write(
            f"Merged “{merge.loser_name}” into “{merge.winner}”: {moved:,} rows moved "
            f"(merge {merge.pk}; undo with --undo {merge.pk})."
        )
