-- One row per order id, typed, with unknown statuses and negative amounts dropped.
with source as (
    select * from {{ ref('raw_orders') }}
),

typed as (
    select
        cast(order_id as integer) as order_id,
        cast(customer_id as integer) as customer_id,
        cast(order_date as date) as order_date,
        lower(trim(status)) as status,
        cast(amount as decimal(12, 2)) as amount,
        row_number() over (partition by order_id order by order_date) as occurrence
    from source
)

select order_id, customer_id, order_date, status, amount
from typed
where occurrence = 1
  and status in ('placed', 'shipped', 'delivered', 'returned')
  and amount >= 0
