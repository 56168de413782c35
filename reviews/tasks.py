"""Review tasks on queue ``default``."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from reviews.qa import qa_cases_sample


@shared_task(
    name="reviews.tasks.sample_qa_cases",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
    ignore_result=True,
)
def sample_qa_cases() -> int:
    """Open blind QA cases for the sampled recent automatic decisions (beat, every few
    minutes). Safe to run twice: a decision gets at most one QA case."""
    return len(qa_cases_sample())
