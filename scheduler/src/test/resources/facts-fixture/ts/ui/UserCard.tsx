import { User } from '../models/user';
import { format } from './format';

interface CardProps {
  user: User;
}

export function renderUser(user: User): string {
  return format(user.describe());
}

export function UserCard(props: CardProps) {
  return <div className="card">{renderUser(props.user)}</div>;
}
